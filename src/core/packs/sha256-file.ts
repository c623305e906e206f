import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { abortError } from '../../shared/abort';

/** Streams a file through sha256; `onBytes` sees the running byte count. Returns lowercase hex. */
export function sha256File(
  file: string,
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const h = createHash('sha256');
    const s = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    let n = 0;
    const onAbort = () => s.destroy(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    s.on('data', (b) => {
      h.update(b);
      n += b.length;
      onBytes?.(n);
    });
    s.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    s.on('end', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(h.digest('hex'));
    });
  });
}
