import fs from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_PACK,
  SCENE_1M,
  completeChunks,
  ensureFixtures,
  listFiles,
  runCli,
  spawnCli,
  tempDir,
} from './helpers';

const ARGS = (dir: string) => [
  'index',
  dir,
  SCENE_1M,
  '--pack',
  FIXTURE_PACK,
  '--chunk-chips',
  '1',
  '--json',
];

/** A group zarr.json without its creation time (the only thing two runs may differ in). */
async function groupAttrs(fieldDir: string, group = 'zarr.json') {
  const j = JSON.parse(await fs.readFile(path.join(fieldDir, group), 'utf8'));
  delete j.attributes.graft_field.created;
  return j;
}

describe('kill-and-resume indexing', () => {
  beforeAll(() => ensureFixtures());

  it('SIGKILL after some chunks, run again: the field equals an uninterrupted run byte for byte', async () => {
    const full = await tempDir('full');
    const r0 = await runCli(ARGS(full));
    expect(r0.code, r0.stderr).toBe(0);
    const fullField = JSON.parse(r0.stdout).fieldDir as string;

    const killed = await tempDir('killed');
    const child = spawnCli(ARGS(killed));
    const exited = new Promise<number | null>((res) =>
      child.on('exit', (_c, sig) => res(sig === 'SIGKILL' ? -9 : _c)),
    );
    const fieldDir = path.join(killed, 'fields', path.basename(fullField));
    let at = { count: 0, total: 0 };
    for (let i = 0; i < 1200 && at.count < 3; i++) {
      await new Promise((r) => setTimeout(r, 25));
      at = await completeChunks(fieldDir);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe(-9);
    const afterKill = await completeChunks(fieldDir);
    expect(afterKill.count).toBeGreaterThanOrEqual(3);
    expect(afterKill.count, 'the run must be killed before it finished').toBeLessThan(afterKill.total);
    const project = JSON.parse(await fs.readFile(path.join(killed, 'project.json'), 'utf8'));
    expect(project.indexes[0].complete).toBe(false);

    const r1 = await runCli(ARGS(killed));
    expect(r1.code, r1.stderr).toBe(0);
    const s1 = JSON.parse(r1.stdout);
    expect(s1.chunksResumed).toBeGreaterThanOrEqual(afterKill.count);
    expect(s1.chunksResumed + s1.chunksWritten).toBe(afterKill.total);

    const files = await listFiles(fullField);
    expect(await listFiles(fieldDir)).toEqual(files);
    expect(files.filter((f) => f.startsWith('embeddings/c/'))).toHaveLength(afterKill.total);
    // The pack has an image encoder: the chip field (one image embedding per chip, src/core/retrieve) resumes the same way.
    expect(files.filter((f) => f.startsWith('chips/embeddings/c/'))).toHaveLength(afterKill.total);
    expect(await groupAttrs(fieldDir, 'chips/zarr.json')).toEqual(
      await groupAttrs(fullField, 'chips/zarr.json'),
    );
    for (const f of files) {
      if (f === 'zarr.json' || f === 'chips/zarr.json') continue;
      const a = await fs.readFile(path.join(fullField, f));
      const b = await fs.readFile(path.join(fieldDir, f));
      expect(b.equals(a), `${f} differs`).toBe(true);
    }
    expect(await groupAttrs(fieldDir)).toEqual(await groupAttrs(fullField));
    expect(JSON.parse(await fs.readFile(path.join(killed, 'project.json'), 'utf8')).indexes[0].complete).toBe(
      true,
    );
  }, 180_000);
});
