import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { generateStarterPack } from '../../src/core/starter-pack/generate-starter-pack';

/** A fresh temp folder holding freshly generated starter packs: <tmp>/starter/{naip,sentinel2}. */
export async function tempStarter(): Promise<{ tmp: string; naip: string; s2: string }> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'graft-packs-'));
  const [naip, s2] = await generateStarterPack(path.join(tmp, 'starter'));
  return { tmp, naip, s2 };
}

/** Copies a pack folder to dest (to edit the copy). */
export async function copyPack(src: string, dest: string): Promise<string> {
  await fs.cp(src, dest, { recursive: true });
  return dest;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke arbitrary (also invalid) manifest fields
export async function editManifest(dir: string, edit: (m: any) => void): Promise<void> {
  const f = path.join(dir, 'manifest.json');
  const m = JSON.parse(await fs.readFile(f, 'utf8'));
  edit(m);
  await fs.writeFile(f, JSON.stringify(m, null, 2));
}

/** Rewrites a manifest's files entry to match the file on disk (after editing a file on purpose). */
export async function rehash(dir: string, file: string): Promise<void> {
  const bytes = await fs.readFile(path.join(dir, file));
  await editManifest(
    dir,
    (m) =>
      (m.files[file] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }),
  );
}
