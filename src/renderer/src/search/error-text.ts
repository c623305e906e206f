import { RemoteError } from '../api/transport';

/**
 * One line for the user from a failed request. Expected failures get a lead that says what to
 * do; the host's message (which names the thing and the reason) always follows.
 */
export function errorText(err: unknown): string {
  if (err instanceof RemoteError) {
    switch (err.code) {
      case 'NOT_INDEXED':
        return `Index this scene first (${err.message})`;
      case 'UNKNOWN_CONCEPT':
        return `Unknown word for this pack — ${err.message}`;
      case 'UNKNOWN_METHOD':
        return `This host cannot do that yet: ${err.message}`;
      case 'IO':
        return `Cannot write there: ${err.message}`;
      case 'CANCELLED':
        return 'Cancelled';
      default:
        return err.message;
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** The host's error code, or null for a local error. */
export function errorCode(err: unknown): string | null {
  return err instanceof RemoteError ? err.code : null;
}
