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

/**
 * Writes `data` to `target` atomically: a temp file in the same folder, fsync, rename, then
 * a best-effort fsync of the folder. A crash or a failure at any point leaves either the old
 * file or the complete new one, never a partial file; the temp file is removed on failure.
 * @throws AppError('IO') naming the path and reason; AppError('CANCELLED') if aborted (before the rename).
 */
export async function atomicWriteFile(
  target: string,
  data: string | Uint8Array,
  signal?: AbortSignal,
): Promise<void> {
  throwIfAborted(signal);
  const abs = path.resolve(target);
  const dir = path.dirname(abs);
  const tmp = path.join(dir, `.${path.basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fh: fs.FileHandle | undefined;
  try {
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
