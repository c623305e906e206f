import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AbsolutePath } from '@zarrita/storage';
import FileSystemStore from '@zarrita/storage/fs';

/** Temp files live in one folder of the store so a crash leaves nothing beside real keys. */
export const TMP_DIR = '.tmp';

/**
 * Writes `bytes` to `file` atomically: a temp file in `<root>/.tmp/`, fsync, rename over the
 * target. A reader (or a resumed writer) sees the old file or the new one, never a torn one.
 * The temp folder is on the same filesystem as the target, so the rename cannot degrade to a copy.
 */
export async function atomicWriteFile(
  root: string,
  file: string,
  bytes: Uint8Array,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const tmpDir = path.join(root, TMP_DIR);
  await fs.promises.mkdir(tmpDir, { recursive: true });
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(tmpDir, `${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}`);
  const fh = await fs.promises.open(tmp, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

/** Deletes temp files a killed writer left behind (they were never renamed, so never used). */
export async function removeStaleTemps(root: string): Promise<void> {
  await fs.promises.rm(path.join(root, TMP_DIR), { recursive: true, force: true });
}

/**
 * zarrita's FileSystemStore with atomic `set`: zarrita writes metadata (zarr.json) through it,
 * so metadata is never half-written either.
 */
export class AtomicFileSystemStore extends FileSystemStore {
  constructor(readonly rootDir: string) {
    super(rootDir);
  }

  override async set(key: AbsolutePath, value: Uint8Array): Promise<void> {
    const rel = key.slice(1);
    await atomicWriteFile(this.rootDir, path.join(this.rootDir, rel), value);
  }
}
