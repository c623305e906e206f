import { AppError } from './errors';

/** The one cancellation error: every cancelled async path rejects with this. */
export function abortError(): AppError {
  return new AppError('CANCELLED', 'Cancelled');
}

/** Throws the cancellation error if `signal` is aborted; call between units of work. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}

/** Resolves after `ms`, or rejects with the cancellation error when `signal` aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
