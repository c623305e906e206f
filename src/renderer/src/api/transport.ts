import type { ErrorPayload } from '../../../shared/errors';
import type { RpcResult } from '../../../shared/rpc';

/** How the renderer reaches its host; it never knows which host that is. */
export interface Transport {
  readonly kind: 'http' | 'ipc';
  call(method: string, params: unknown, signal?: AbortSignal): Promise<RpcResult>;
  subscribe(cb: (event: string, payload: unknown) => void): () => void;
  /** URL template MapLibre can load tiles from ({z}/{x}/{y} left in). */
  tileTemplate(sceneId: string, render: string): string;
}

/** An error returned by the host, rebuilt on this side with its code. */
export class RemoteError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
  static from(p: ErrorPayload): RemoteError {
    return new RemoteError(p.code, p.message);
  }
}
