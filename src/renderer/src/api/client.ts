import type { EventName, EventPayload, Method, Requests } from '../../../shared/contract';
import type { ReqOf, ResOf } from '../../../shared/rpc';
import { httpTransport } from './http-transport';
import { ipcTransport } from './ipc-transport';
import { RemoteError, type Transport } from './transport';

/** The renderer's typed view of the contract. */
export class Client {
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private unsubscribe: (() => void) | null = null;

  constructor(readonly transport: Transport) {}

  async request<K extends Method>(
    method: K,
    params: ReqOf<Requests, K>,
    signal?: AbortSignal,
  ): Promise<ResOf<Requests, K>> {
    const outcome = await this.transport.call(method, params, signal);
    if (!outcome.ok) throw RemoteError.from(outcome.error);
    return outcome.result as ResOf<Requests, K>;
  }

  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void {
    if (!this.unsubscribe) {
      this.unsubscribe = this.transport.subscribe((name, payload) => {
        for (const l of this.listeners.get(name) ?? []) l(payload);
      });
    }
    const set = this.listeners.get(event) ?? new Set();
    set.add(cb as (p: unknown) => void);
    this.listeners.set(event, set);
    return () => set.delete(cb as (p: unknown) => void);
  }

  tileTemplate(sceneId: string, render: string): string {
    return this.transport.tileTemplate(sceneId, render);
  }
}

/** Electron's preload bridge when present, the web host otherwise. */
export function createClient(): Client {
  return new Client(window.graft ? ipcTransport(window.graft) : httpTransport());
}
