import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { abortError, throwIfAborted } from '../../shared/abort';
import { AppError, isAbortError } from '../../shared/errors';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'a parent of the path is not a folder',
  EISDIR: 'the path is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
};

/** An IO AppError naming the file and the reason, from a Node fs error. */
export function ioError(target: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const reason = REASONS[code] ?? (err instanceof Error ? err.message : String(err));
  return new AppError('IO', `${target}: cannot write (${reason}${code ? `, ${code}` : ''})`);
}

export interface AtomicWriteOptions {
  /**
   * Folder for the temp file (default: beside the target). It must be on the same file system
   * so the rename stays atomic; a Zarr store uses one `.tmp/` folder so a crash leaves nothing
   * that looks like a chunk key.
   */
  tmpDir?: string;
  /** Create the target's folder (and tmpDir) when missing. */
  createDirs?: boolean;
}

/**
 * Writes `data` to `target` atomically: a temp file, fsync, rename, then a best-effort fsync
 * of the folder. A crash or a failure at any point leaves either the old file or the complete
 * new one, never a partial file; the temp file is removed on failure. Every durable write of
 * the app (projects, embedding-field chunks, exports) goes through here.
 * @throws AppError('IO') naming the path and reason; AppError('CANCELLED') if aborted (before the rename).
 */
export async function atomicWriteFile(
  target: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
  signal?: AbortSignal,
): Promise<void> {
  throwIfAborted(signal);
  const abs = path.resolve(target);
  const dir = path.dirname(abs);
  const tmpDir = opts.tmpDir ? path.resolve(opts.tmpDir) : dir;
  const tmp = path.join(
    tmpDir,
    `.${path.basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let fh: fs.FileHandle | undefined;
  try {
    if (opts.createDirs) {
      await fs.mkdir(dir, { recursive: true });
      await fs.mkdir(tmpDir, { recursive: true });
    }
    fh = await fs.open(tmp, 'wx', 0o644);
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    fh = undefined;
    if (signal?.aborted) throw abortError();
    await fs.rename(tmp, abs);
  } catch (err) {
    await fh?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    if (isAbortError(err)) throw err;
    throw ioError(target, err);
  }
  try {
    const d = await fs.open(dir, 'r');
    await d.sync().finally(() => d.close());
  } catch {
    // Folder fsync is not possible on every platform (Windows); the rename already happened.
  }
}
