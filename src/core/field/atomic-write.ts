import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AbsolutePath } from '@zarrita/storage';
import FileSystemStore from '@zarrita/storage/fs';
import { atomicWriteFile } from '../util/atomic-write';

/** Temp files live in one folder of the store so a crash leaves nothing beside real keys. */
export const TMP_DIR = '.tmp';

/** Atomic write of one file of the store rooted at `root` (temp in `<root>/.tmp/`). */
export function atomicWriteInStore(
  root: string,
  file: string,
  bytes: Uint8Array,
  signal?: AbortSignal,
): Promise<void> {
  return atomicWriteFile(file, bytes, { tmpDir: path.join(root, TMP_DIR), createDirs: true }, signal);
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
    await atomicWriteInStore(this.rootDir, path.join(this.rootDir, key.slice(1)), value);
  }
}
