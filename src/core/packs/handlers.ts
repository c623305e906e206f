import type { JobContext } from '../jobs/job-types';
import type { PackRegistry } from './pack-registry';

export interface PacksHandlerDeps {
  registry: PackRegistry;
  /** Starts a job (JobRunner.start); packs.import runs as one. */
  startJob(kind: string, label: string, fn: (ctx: JobContext) => Promise<unknown>): { jobId: string };
  /** Called before a pack's files are deleted, to release its ONNX sessions (ModelRuntime.release). */
  releasePack?(id: string): Promise<void>;
}

/** True for http(s) URLs; anything else is a folder path. */
export const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** Handlers of the packs.* requests (schemas in src/shared/contract/packs.ts). */
export function packsHandlers(deps: PacksHandlerDeps) {
  const { registry } = deps;
  return {
    'packs.list': async (_req: Record<string, never>, ctx: { signal: AbortSignal }) =>
      registry.list(ctx.signal),
    'packs.verify': async (req: { id: string; checkHashes: boolean }, ctx: { signal: AbortSignal }) =>
      registry.verify(req.id, { checkHashes: req.checkHashes }, { signal: ctx.signal, progress: () => {} }),
    'packs.import': async (req: { source: string; replace: boolean }) =>
      deps.startJob('packs.import', `Import model pack ${req.source}`, (job) =>
        isUrl(req.source)
          ? registry.importUrl(req.source, job, { replace: req.replace })
          : registry.importFolder(req.source, job, { replace: req.replace }),
      ),
    'packs.remove': async (req: { id: string }, ctx: { signal: AbortSignal }) => {
      await deps.releasePack?.(req.id);
      return registry.remove(req.id, ctx.signal);
    },
  };
}
