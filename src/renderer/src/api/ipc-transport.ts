import type { RpcResult } from '../../../shared/rpc';
import type { Transport } from './transport';

/** What the Electron preload exposes on `window.graft`: the contract and nothing else. */
export interface PreloadBridge {
  call(method: string, params: unknown): Promise<RpcResult>;
  onEvent(cb: (event: string, payload: unknown) => void): () => void;
  tileBase: string;
  /** A dropped File's path on disk (desktop only). */
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    graft?: PreloadBridge;
  }
}

export function ipcTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'ipc',
    call: (method, params) => bridge.call(method, params),
    subscribe: (cb) => bridge.onEvent(cb),
    tileTemplate: (sceneId, render) =>
      `${bridge.tileBase}${encodeURIComponent(sceneId)}/{z}/{x}/{y}.png?render=${encodeURIComponent(render)}`,
  };
}
