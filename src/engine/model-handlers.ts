/**
 * Inference handlers of the engine process: the only place ONNX Runtime sessions live. The host
 * sends chips as one float32 buffer [N, C, H, W] in physical units and gets embeddings back as
 * typed arrays (structured clone over the fork channel, no JSON number lists).
 * onnxruntime-node is imported lazily, on the first inference request: engine-client.ts imports
 * this map for InProcessEngine, and hosts that only fork the engine must not load the native addon.
 */
import { throwIfAborted } from '../shared/abort';
import { engineRequests } from '../shared/contract/engine';
import { AppError } from '../shared/errors';
import type { ParsedReqOf, ResOf } from '../shared/rpc';
import type { ModelRuntime } from '../core/inference/model-runtime';
import type { Chip } from '../core/inference/preprocess';
import { loadPack, type Pack } from '../core/packs/manifest';
import { PackRegistry } from '../core/packs/pack-registry';
import type { EngineHandlerContext } from './engine-protocol';

type M = typeof engineRequests;
type ModelMethod = 'engine.encodePatches' | 'engine.encodeImages' | 'engine.encodeText' | 'engine.providers';
export type ModelHandlers = {
  [K in ModelMethod]: (req: ParsedReqOf<M, K>, ctx: EngineHandlerContext) => Promise<ResOf<M, K>>;
};

export interface ModelHandlerOptions {
  /** intraOpNumThreads (default $GRAFT_THREADS or ONNX Runtime's choice). */
  threads?: number;
  /** Chips per session.run (default 8). */
  batchSize?: number;
}

/** ORT outputs are fresh arrays over plain ArrayBuffers; zod's instanceof schema types them so. */
const plain = (a: Float32Array) => a as Float32Array<ArrayBuffer>;

/** Splits a [n, C, H, W] buffer into Chips (views, no copy). */
function toChips(pixels: Float32Array, bands: string[], n: number, height: number, width: number): Chip[] {
  const plane = height * width;
  if (pixels.length !== n * bands.length * plane) {
    throw new AppError('BAD_REQUEST', `pixels has ${pixels.length} values, expected ${n}x${bands.length}x${height}x${width}`);
  }
  return Array.from({ length: n }, (_, i) => ({
    width,
    height,
    bands: Object.fromEntries(bands.map((b, c) => [b, pixels.subarray((i * bands.length + c) * plane, (i * bands.length + c + 1) * plane)])),
  }));
}

/** The engine's inference handlers over one ModelRuntime (sessions cached per pack and role). */
export function modelHandlers(opts: ModelHandlerOptions = {}): ModelHandlers {
  const envThreads = Number(process.env.GRAFT_THREADS);
  let ort: Promise<{ rt: ModelRuntime; inf: typeof import('../core/inference/encode-images'); txt: typeof import('../core/inference/encode-text') }> | undefined;
  const runtime = () =>
    (ort ??= (async () => {
      const { ModelRuntime: Runtime } = await import('../core/inference/model-runtime');
      const rt = new Runtime({
        threads: opts.threads ?? (Number.isInteger(envThreads) && envThreads > 0 ? envThreads : 0),
        batchSize: opts.batchSize ?? 8,
      });
      return { rt, inf: await import('../core/inference/encode-images'), txt: await import('../core/inference/encode-text') };
    })());
  const registry = new PackRegistry();
  // Packs are resolved once per (id, dir); a re-installed pack gets a new dir or a new process.
  const packs = new Map<string, Promise<Pack>>();
  const pack = (packId: string, packDir: string | undefined, signal: AbortSignal): Promise<Pack> => {
    const key = `${packId}\u0000${packDir ?? ''}`;
    let p = packs.get(key);
    if (!p) {
      p = (async () => {
        const loaded = packDir ? await loadPack(packDir, signal) : await registry.get(packId, signal);
        if (loaded.manifest.id !== packId) throw new AppError('INVALID_INPUT', `${packDir}: pack id is ${loaded.manifest.id}, not ${packId}`);
        return loaded;
      })();
      packs.set(key, p);
      p.catch(() => packs.delete(key));
    }
    return p;
  };

  return {
    'engine.encodePatches': async (req, ctx) => {
      const p = await pack(req.packId, req.packDir, ctx.signal);
      const chips = toChips(req.pixels, req.bands, req.n, req.height, req.width);
      const { rt, inf } = await runtime();
      const r = await inf.encodePatches(rt, p, chips, ctx.signal);
      throwIfAborted(ctx.signal);
      return { embeds: plain(r.embeds), n: r.n, tokens: r.tokens, dim: r.dim, grid: r.grid, provider: r.provider };
    },
    'engine.encodeImages': async (req, ctx) => {
      const p = await pack(req.packId, req.packDir, ctx.signal);
      const { rt, inf } = await runtime();
      const r = await inf.encodeImages(rt, p, toChips(req.pixels, req.bands, req.n, req.height, req.width), ctx.signal);
      return { embeds: plain(r.embeds), n: r.n, dim: r.dim, provider: r.provider };
    },
    'engine.encodeText': async (req, ctx) => {
      const p = await pack(req.packId, req.packDir, ctx.signal);
      const { rt, txt } = await runtime();
      const r = await txt.encodeText(rt, p, req.texts, ctx.signal);
      return { embeds: plain(r.embeds), n: r.n, dim: r.dim, provider: r.provider };
    },
    'engine.providers': async () => (ort ? (await ort).rt.providers() : {}),
  };
}
