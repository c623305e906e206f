/**
 * SAM handlers of the engine process: the image encoder runs once per (pack, window) and its
 * embedding stays in an LRU cache here, so every later click in that window costs one prompt
 * decoder run and ships back only the chosen mask, cropped (no logits cross the boundary).
 * A click fetches only the decoder's low-res logits and upsamples just the chosen mask's
 * reach (sam-decode-crop.ts), not all M masks at full size.
 * The runtime and packs are shared with the embedding handlers (engine-models.ts).
 */
import { throwIfAborted } from '../shared/abort';
import type { engineRequests } from '../shared/contract/engine';
import { AppError } from '../shared/errors';
import type { ParsedReqOf, ResOf } from '../shared/rpc';
import type { SamEncoding } from '../core/inference/sam';
import type { Chip } from '../core/inference/preprocess';
import type { Pack } from '../core/packs/manifest';
import { EmbeddingCache } from '../core/segment/embedding-cache';
import type { EngineModels } from './engine-models';
import type { EngineHandlerContext } from './engine-protocol';

type M = typeof engineRequests;
type SamMethod = 'engine.samEncode' | 'engine.samDecode';
export type SamHandlers = {
  [K in SamMethod]: (req: ParsedReqOf<M, K>, ctx: EngineHandlerContext) => Promise<ResOf<M, K>>;
};

interface Cached {
  enc: SamEncoding;
  // valid: uint8[h*w] of the window, 1 = real pixels (masks are cut to them)
  valid?: Uint8Array;
}

/** SAM encode/decode handlers over the shared runtime, with their own embedding cache. */
export function samHandlers(models: EngineModels, opts: { cacheEntries?: number } = {}): SamHandlers {
  const runtime = async () => ({
    rt: await models.runtime(),
    sam: await import('../core/inference/sam'),
    crop: await import('../core/segment/sam-decode-crop'),
  });
  const pack = async (packId: string, packDir: string | undefined, signal: AbortSignal): Promise<Pack> => {
    const loaded = await models.pack(packId, packDir, signal);
    if (!loaded.manifest.roles.sam_image_encoder || !loaded.manifest.roles.sam_prompt_decoder)
      throw new AppError(
        'UNSUPPORTED',
        `pack ${packId} is not a SAM pack (it has: ${Object.keys(loaded.manifest.roles).join(', ')})`,
      );
    return loaded;
  };
  const cache = new EmbeddingCache<Cached>(opts.cacheEntries ?? 16);
  const cacheKey = (packId: string, packDir: string | undefined, key: string) =>
    `${packId}\u0000${packDir ?? ''}\u0000${key}`;

  return {
    'engine.samEncode': async (req, ctx) => {
      const ck = cacheKey(req.packId, req.packDir, req.key);
      if (cache.has(ck))
        return { key: req.key, cached: true, ready: true, ms: 0, provider: cache.get(ck)!.enc.provider };
      if (!req.pixels) return { key: req.key, cached: false, ready: false, ms: 0, provider: null };
      const { bands, height, width } = req;
      if (!bands || !height || !width)
        throw new AppError('BAD_REQUEST', 'engine.samEncode: pixels need bands, height and width');
      const plane = height * width;
      if (req.pixels.length !== bands.length * plane)
        throw new AppError(
          'BAD_REQUEST',
          `engine.samEncode: pixels has ${req.pixels.length} values, expected ${bands.length}x${height}x${width}`,
        );
      if (req.valid && req.valid.length !== plane)
        throw new AppError(
          'BAD_REQUEST',
          `engine.samEncode: valid has ${req.valid.length} values, expected ${height}x${width}`,
        );
      const p = await pack(req.packId, req.packDir, ctx.signal);
      const chip: Chip = {
        width,
        height,
        bands: Object.fromEntries(bands.map((b, c) => [b, req.pixels!.subarray(c * plane, (c + 1) * plane)])),
      };
      const { rt, sam } = await runtime();
      const t0 = performance.now();
      const enc = await sam.samEncode(rt, p, chip, ctx.signal);
      throwIfAborted(ctx.signal);
      cache.set(ck, { enc, valid: req.valid });
      return { key: req.key, cached: false, ready: true, ms: performance.now() - t0, provider: enc.provider };
    },
    'engine.samDecode': async (req, ctx) => {
      if (req.points.length !== req.labels.length)
        throw new AppError(
          'BAD_REQUEST',
          `engine.samDecode: ${req.points.length} points but ${req.labels.length} labels`,
        );
      const hit = cache.get(cacheKey(req.packId, req.packDir, req.key));
      if (!hit)
        throw new AppError(
          'NOT_FOUND',
          `engine.samDecode: no SAM embedding for window ${req.key} (pack ${req.packId}); call engine.samEncode first`,
        );
      const p = await pack(req.packId, req.packDir, ctx.signal);
      const { rt, crop } = await runtime();
      const t0 = performance.now();
      const { bbox, mask, index, ious } = await crop.samDecodeCrop(
        rt,
        p,
        hit.enc,
        req.points,
        req.labels,
        hit.valid,
        ctx.signal,
      );
      return { bbox, mask, iou: ious[index], ious: Array.from(ious), index, ms: performance.now() - t0 };
    },
  };
}
