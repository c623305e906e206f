/**
 * Inference handlers of the engine process: the only place ONNX Runtime sessions live. The host
 * sends chips as one float32 buffer [N, C, H, W] in physical units and gets embeddings back as
 * typed arrays (structured clone over the fork channel, no JSON number lists).
 * The runtime and packs are shared with the SAM handlers (engine-models.ts).
 */
import { throwIfAborted } from '../shared/abort';
import { engineRequests } from '../shared/contract/engine';
import { AppError } from '../shared/errors';
import type { ParsedReqOf, ResOf } from '../shared/rpc';
import type { Chip } from '../core/inference/preprocess';
import type { EngineModels } from './engine-models';
import type { EngineHandlerContext } from './engine-protocol';

type M = typeof engineRequests;
type ModelMethod = 'engine.encodePatches' | 'engine.encodeImages' | 'engine.encodeText' | 'engine.providers';
export type ModelHandlers = {
  [K in ModelMethod]: (req: ParsedReqOf<M, K>, ctx: EngineHandlerContext) => Promise<ResOf<M, K>>;
};

/** ORT outputs are fresh arrays over plain ArrayBuffers; zod's instanceof schema types them so. */
const plain = (a: Float32Array) => a as Float32Array<ArrayBuffer>;

/** Splits a [n, C, H, W] buffer into Chips (views, no copy). */
function toChips(pixels: Float32Array, bands: string[], n: number, height: number, width: number): Chip[] {
  const plane = height * width;
  if (pixels.length !== n * bands.length * plane) {
    throw new AppError(
      'BAD_REQUEST',
      `pixels has ${pixels.length} values, expected ${n}x${bands.length}x${height}x${width}`,
    );
  }
  return Array.from({ length: n }, (_, i) => ({
    width,
    height,
    bands: Object.fromEntries(
      bands.map((b, c) => [
        b,
        pixels.subarray((i * bands.length + c) * plane, (i * bands.length + c + 1) * plane),
      ]),
    ),
  }));
}

/** The engine's embedding handlers (sessions cached per pack and role in the shared runtime). */
export function modelHandlers(models: EngineModels): ModelHandlers {
  const { pack } = models;
  const runtime = async () => ({
    rt: await models.runtime(),
    inf: await import('../core/inference/encode-images'),
    txt: await import('../core/inference/encode-text'),
  });

  return {
    'engine.encodePatches': async (req, ctx) => {
      const p = await pack(req.packId, req.packDir, ctx.signal);
      const chips = toChips(req.pixels, req.bands, req.n, req.height, req.width);
      const { rt, inf } = await runtime();
      const r = await inf.encodePatches(rt, p, chips, ctx.signal);
      throwIfAborted(ctx.signal);
      return {
        embeds: plain(r.embeds),
        n: r.n,
        tokens: r.tokens,
        dim: r.dim,
        grid: r.grid,
        provider: r.provider,
      };
    },
    'engine.encodeImages': async (req, ctx) => {
      const p = await pack(req.packId, req.packDir, ctx.signal);
      const { rt, inf } = await runtime();
      const r = await inf.encodeImages(
        rt,
        p,
        toChips(req.pixels, req.bands, req.n, req.height, req.width),
        ctx.signal,
      );
      return { embeds: plain(r.embeds), n: r.n, dim: r.dim, provider: r.provider };
    },
    'engine.encodeText': async (req, ctx) => {
      const p = await pack(req.packId, req.packDir, ctx.signal);
      const { rt, txt } = await runtime();
      const r = await txt.encodeText(rt, p, req.texts, ctx.signal);
      return { embeds: plain(r.embeds), n: r.n, dim: r.dim, provider: r.provider };
    },
    'engine.providers': async () => (await models.loaded())?.providers() ?? {},
  };
}
