import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { abortError } from '../shared/abort';
import { engineRequests } from '../shared/contract/engine';
import { AppError, fromErrorPayload } from '../shared/errors';
import { dispatch, type ReqOf, type ResOf } from '../shared/rpc';
import { createEngineHandlers } from './engine-handlers';
import type { FromEngine, ToEngine } from './engine-protocol';

type M = typeof engineRequests;

export interface EngineCallOptions {
  signal?: AbortSignal;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface EngineStatus {
  state: 'idle' | 'starting' | 'ready' | 'crashed';
  pid: number | null;
  restarts: number;
}

/** What hosts and core code call to run inference, wherever the engine lives. */
export interface Engine {
  request<K extends keyof M & string>(
    method: K,
    params: ReqOf<M, K>,
    opts?: EngineCallOptions,
  ): Promise<ResOf<M, K>>;
  status(): EngineStatus;
  dispose(): void;
}

/** A started engine process, as Node's fork or Electron's utilityProcess presents it. */
export interface EngineChild {
  pid: number | null;
  send(msg: ToEngine): void;
  onMessage(cb: (msg: FromEngine) => void): void;
  onExit(cb: (code: number | null) => void): void;
  kill(): void;
}

/** Forks src/engine/engine-main.ts under plain Node (through tsx when running from source). */
export function forkEngine(): EngineChild {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, 'engine-main.js');
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fromSource ? path.join(here, 'engine-main.ts') : built;
  const child = fork(entry, [], {
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    pid: child.pid ?? null,
    send: (m) => child.send(m),
    onMessage: (cb) => child.on('message', (m) => cb(m as FromEngine)),
    onExit: (cb) => child.on('exit', (code) => cb(code)),
    kill: () => child.kill(),
  };
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  onProgress?: EngineCallOptions['onProgress'];
}

/**
 * Talks to an engine process: requests with ids, progress routed to their callers, cancellation
 * sent across as a message. If the process dies, every request in flight fails with
 * ENGINE_CRASHED and the next request starts a fresh process.
 */
export class EngineClient implements Engine {
  private child: EngineChild | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private state: EngineStatus['state'] = 'idle';
  private restarts = 0;
  private disposed = false;

  constructor(private readonly spawn: () => EngineChild = forkEngine) {}

  status(): EngineStatus {
    return { state: this.state, pid: this.child?.pid ?? null, restarts: this.restarts };
  }

  async request<K extends keyof M & string>(
    method: K,
    params: ReqOf<M, K>,
    opts: EngineCallOptions = {},
  ): Promise<ResOf<M, K>> {
    if (this.disposed) throw new AppError('ENGINE_CRASHED', 'The inference engine has been shut down');
    if (opts.signal?.aborted) throw abortError();
    await this.ensureStarted();
    const id = this.nextId++;
    const child = this.child!;
    return new Promise<ResOf<M, K>>((resolve, reject) => {
      const onAbort = () => child.send({ type: 'cancel', id });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => opts.signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => (done(), resolve(v as ResOf<M, K>)),
        reject: (e) => (done(), reject(e)),
        onProgress: opts.onProgress,
      });
      child.send({ type: 'request', id, method, params });
    });
  }

  dispose(): void {
    this.disposed = true;
    this.child?.kill();
    this.child = null;
  }

  private ensureStarted(): Promise<void> {
    if (this.child && this.ready) return this.ready;
    if (this.state === 'crashed') this.restarts++;
    this.state = 'starting';
    const child = this.spawn();
    this.child = child;
    this.ready = new Promise<void>((resolve, reject) => {
      child.onMessage((msg) => {
        if (msg.type === 'ready') {
          this.state = 'ready';
          resolve();
        } else if (msg.type === 'progress') {
          this.pending.get(msg.id)?.onProgress?.(msg.phase, msg.done, msg.total);
        } else if (msg.type === 'response') {
          const p = this.pending.get(msg.id);
          if (!p) return;
          this.pending.delete(msg.id);
          if (msg.outcome.ok) p.resolve(msg.outcome.result);
          else p.reject(fromErrorPayload(msg.outcome.error));
        }
      });
      child.onExit((code) => {
        if (this.child !== child) return;
        this.child = null;
        this.ready = null;
        this.state = this.disposed ? 'idle' : 'crashed';
        const err = new AppError(
          'ENGINE_CRASHED',
          `The inference engine stopped unexpectedly (exit code ${code}); it restarts on the next request`,
        );
        reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
    });
    return this.ready;
  }
}

/**
 * The same engine API without a second process, for the CLI's batch runs (a CLI process is
 * already off any UI thread) and unit tests.
 */
export class InProcessEngine implements Engine {
  private readonly handlers = createEngineHandlers({
    onCrashRequest: () => {
      throw new AppError('UNSUPPORTED', 'engine.crash is only meaningful for an engine process');
    },
  });

  async request<K extends keyof M & string>(
    method: K,
    params: ReqOf<M, K>,
    opts: EngineCallOptions = {},
  ): Promise<ResOf<M, K>> {
    const signal = opts.signal ?? new AbortController().signal;
    const outcome = await dispatch(engineRequests, this.handlers as never, method, params, {
      signal,
      progress: opts.onProgress ?? (() => {}),
    } as never);
    if (!outcome.ok) throw fromErrorPayload(outcome.error);
    return outcome.result as ResOf<M, K>;
  }

  status(): EngineStatus {
    return { state: 'ready', pid: process.pid, restarts: 0 };
  }

  dispose(): void {}
}
