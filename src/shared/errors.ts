/**
 * Errors that cross a process boundary. Expected failures (bad input, a missing file, a
 * cancelled job) are `AppError`s with a stable `code`; anything else is a bug and crosses as
 * `INTERNAL`. Only `{code, message, details?}` ever crosses a boundary, never an `Error`.
 */
export const ErrorCodes = [
  'BAD_REQUEST', // payload failed schema validation
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'NOT_FOUND', // a file, scene, pack, job or project that does not exist
  'INVALID_INPUT', // input exists but is unusable: corrupt TIFF, no CRS, malformed GeoJSON…
  'UNSUPPORTED', // valid but not handled: a compression, a data type, a model role
  'PACK_INVALID', // a model pack whose manifest and graphs disagree
  'NETWORK', // a URL that fails, 404s or does not allow range requests
  'NOT_INDEXED', // a query before indexing
  'UNKNOWN_CONCEPT', // a starter-pack query with no known concept
  'IO', // a path that cannot be written
  'ENGINE_CRASHED',
  'CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

/** The only shape an error has once it leaves the process that raised it. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorPayload(x: unknown): x is ErrorPayload {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as ErrorPayload).code === 'string' &&
    typeof (x as ErrorPayload).message === 'string'
  );
}

/** Turns anything thrown into a payload; unknown errors keep their message but are INTERNAL. */
export function toErrorPayload(err: unknown): ErrorPayload {
  if (err instanceof AppError) return err.toPayload();
  if (isAbortError(err)) return { code: 'CANCELLED', message: 'Cancelled' };
  if (isErrorPayload(err)) return { code: err.code, message: err.message, details: err.details };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

/** Rebuilds a throwable error on the receiving side of a boundary. */
export function fromErrorPayload(p: ErrorPayload): AppError {
  return new AppError(p.code, p.message, p.details);
}

export function isAbortError(err: unknown): boolean {
  return (
    (err instanceof AppError && err.code === 'CANCELLED') ||
    (typeof err === 'object' && err !== null && (err as Error).name === 'AbortError')
  );
}
