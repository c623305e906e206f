import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { requests, type EventName, type EventPayload, type Requests } from '../../shared/contract';
import type { Handlers } from '../../shared/rpc';
import { AppError } from '../../shared/errors';
import type { Engine } from '../../engine/engine-client';
import { imageryHandlers } from '../imagery/handlers';
import { packsHandlers } from '../packs/handlers';
import { PackRegistry } from '../packs/pack-registry';
import { ensureStarterPack } from '../starter-pack/generate-starter-pack';
import { SceneRegistry } from '../imagery/scene-registry';
import { JobRunner } from '../jobs/job-runner';
import { segmentHandlers } from '../segment/segment-handlers';
import { searchHandlers, type SearchState } from '../search/search-handlers';
import { repoRoot } from '../util/paths';

export type HostKind = 'electron' | 'web' | 'cli';

export interface CoreAppOptions {
  host: HostKind;
  engine: Engine;
  /** Handlers only a particular host can serve (the desktop file picker). */
  hostHandlers?: Partial<Handlers<Requests>>;
}

/** Typed event bus: hosts forward every event to their clients (SSE, webContents.send). */
export class AppEvents {
  private readonly emitter = new EventEmitter();
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', event, payload);
  }
  /** Returns an unsubscribe function. */
  onAny(cb: (event: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', cb);
    return () => this.emitter.off('event', cb);
  }
}

export interface CoreApp {
  handlers: Handlers<Requests>;
  scenes: SceneRegistry;
  jobs: JobRunner;
  events: AppEvents;
  engine: Engine;
  dispose(): void;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Builds the one set of handlers every host serves. Hosts only move bytes: validation and
 * dispatch happen in rpc.ts, the work happens here and in the domain modules.
 */
export function createCoreApp(opts: CoreAppOptions): CoreApp {
  const events = new AppEvents();
  const jobs = new JobRunner({
    progress: (p) => events.emit('job.progress', p),
    finished: (info) => events.emit('job.finished', info),
  });
  const { engine } = opts;
  const version = packageVersion();
  const scenes = new SceneRegistry();
  const packs = new PackRegistry();
  const search: SearchState = { svc: null };
  // The starter pack is generated (no Python, a few ms) on first start; listing waits for it.
  const starterReady = ensureStarterPack().catch((err: unknown) => {
    console.error(`starter pack could not be generated: ${(err as Error).message}`);
  });
  const packHandlers = packsHandlers({
    registry: packs,
    startJob: (kind, label, fn) => jobs.start(kind, label, fn),
  });

  const handlers: Handlers<Requests> = {
    'app.info': async () => ({
      name: 'GRAFT Workbench',
      version,
      host: opts.host,
      platform: `${process.platform}-${process.arch}`,
      engine: engine.status(),
    }),
    'engine.selfTest': async ({ steps, stepMs }) => {
      const info = jobs.start('engine.selfTest', 'Engine self-test', (ctx) =>
        engine.request(
          'engine.selfTest',
          { steps, stepMs },
          { signal: ctx.signal, onProgress: ctx.progress },
        ),
      );
      return { jobId: info.jobId };
    },
    'host.pickFiles': async () => {
      throw new AppError('UNSUPPORTED', 'This host has no file picker: type or paste the path instead');
    },
    'engine.providers': async (_req, ctx) => engine.request('engine.providers', {}, { signal: ctx.signal }),
    'jobs.list': async () => jobs.list(),
    'jobs.get': async ({ jobId }) => {
      const info = jobs.get(jobId);
      if (!info) throw new AppError('NOT_FOUND', `No job with id ${jobId}`);
      return info;
    },
    'jobs.cancel': async ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    ...imageryHandlers(scenes),
    ...packHandlers,
    'packs.list': async (req, ctx) => {
      await starterReady;
      return packHandlers['packs.list'](req, ctx);
    },
    ...segmentHandlers({
      scenes,
      engine,
      jobs,
      packs,
      queryResult: async (queryId) => {
        if (!search.svc) throw new AppError('NOT_FOUND', 'no project is open: call project.open first');
        return search.svc.result(queryId);
      },
    }),
    ...searchHandlers({ scenes, packs, engine, jobs, state: search }),
    ...opts.hostHandlers,
  };

  // Fail loudly at start-up rather than at first use if a contract method has no handler.
  for (const method of Object.keys(requests)) {
    if (!(method in handlers)) throw new Error(`contract method ${method} has no handler`);
  }

  return {
    handlers,
    scenes,
    jobs,
    events,
    engine,
    dispose: () => {
      jobs.dispose();
      scenes.closeAll();
      engine.dispose();
    },
  };
}
