import { HTTP, events } from '../../../shared/contract';
import { decodeWire } from '../../../shared/wire';
import type { RpcResult } from '../../../shared/rpc';
import type { Transport } from './transport';

/** The web host: POST /api/rpc/<method>, server-sent events, /tiles/…; the token rides in a cookie. */
export function httpTransport(origin = ''): Transport {
  return {
    kind: 'http',
    async call(method, params, signal) {
      let res: Response;
      try {
        res = await fetch(`${origin}${HTTP.rpc}${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(params ?? {}),
          credentials: 'same-origin',
          signal,
        });
      } catch (err) {
        if ((err as Error).name === 'AbortError')
          return { ok: false, error: { code: 'CANCELLED', message: 'Cancelled' } };
        return {
          ok: false,
          error: {
            code: 'NETWORK',
            message: `The workbench server did not answer (${(err as Error).message})`,
          },
        };
      }
      if (res.headers.get('content-type') === HTTP.wireType) {
        return { ok: true, result: decodeWire(new Uint8Array(await res.arrayBuffer())) };
      }
      if (res.status === 401) {
        return {
          ok: false,
          error: {
            code: 'UNAUTHORIZED',
            message: 'Session expired: reopen the URL that `graft-workbench serve` printed',
          },
        };
      }
      return (await res.json()) as RpcResult;
    },
    subscribe(cb) {
      const source = new EventSource(`${origin}${HTTP.events}`, { withCredentials: true });
      for (const name of Object.keys(events)) {
        source.addEventListener(name, (e) => cb(name, JSON.parse((e as MessageEvent<string>).data)));
      }
      return () => source.close();
    },
    tileTemplate(sceneId, render) {
      const base = origin || window.location.origin;
      return `${base}${HTTP.tiles}${encodeURIComponent(sceneId)}/{z}/{x}/{y}.png?render=${encodeURIComponent(render)}`;
    },
  };
}
