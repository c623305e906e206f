/**
 * What every inference handler of the engine process shares: ONE ModelRuntime (so a session is
 * created once per pack and role, and the thread setting applies once) and one pack resolver.
 * onnxruntime-node is imported lazily, on the first inference request: engine-client.ts imports
 * the handler map for InProcessEngine, and hosts that only fork the engine must not load it.
 */
import { AppError } from '../shared/errors';
import type { ModelRuntime } from '../core/inference/model-runtime';
import { loadPack, type Pack } from '../core/packs/manifest';
import { PackRegistry } from '../core/packs/pack-registry';

export interface EngineModelOptions {
  /** intraOpNumThreads (default $GRAFT_THREADS or ONNX Runtime's choice). */
  threads?: number;
  /** Chips per session.run (default 8). */
  batchSize?: number;
}

export interface EngineModels {
  /** The runtime, created on first use. */
  runtime(): Promise<ModelRuntime>;
  /** The runtime if one was created (reporting providers must not load ONNX Runtime). */
  loaded(): Promise<ModelRuntime> | undefined;
  /** A pack by id (from its folder when the host names it), resolved once per (id, folder). */
  pack(packId: string, packDir: string | undefined, signal: AbortSignal): Promise<Pack>;
}

export function createEngineModels(opts: EngineModelOptions = {}): EngineModels {
  const envThreads = Number(process.env.GRAFT_THREADS);
  let rt: Promise<ModelRuntime> | undefined;
  const registry = new PackRegistry();
  // A re-installed pack gets a new folder (or a new process), so (id, dir) is a safe key.
  const packs = new Map<string, Promise<Pack>>();
  return {
    runtime: () =>
      (rt ??= import('../core/inference/model-runtime').then(
        ({ ModelRuntime: Runtime }) =>
          new Runtime({
            threads: opts.threads ?? (Number.isInteger(envThreads) && envThreads > 0 ? envThreads : 0),
            batchSize: opts.batchSize ?? 8,
          }),
      )),
    loaded: () => rt,
    pack: (packId, packDir, signal) => {
      const key = `${packId}\u0000${packDir ?? ''}`;
      let p = packs.get(key);
      if (!p) {
        p = (async () => {
          const loaded = packDir ? await loadPack(packDir, signal) : await registry.get(packId, signal);
          if (loaded.manifest.id !== packId)
            throw new AppError(
              'INVALID_INPUT',
              `${packDir}: pack id is ${loaded.manifest.id}, not ${packId}`,
            );
          return loaded;
        })();
        packs.set(key, p);
        p.catch(() => packs.delete(key));
      }
      return p;
    },
  };
}
