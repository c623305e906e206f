import { AppError } from '../../shared/errors';
import type { Engine } from '../../engine/engine-client';
import type { PackRegistry } from '../packs/pack-registry';
import type { RegionGrowOptions } from '../vector/region-grow';
import { regionGrowSegmenter, type WindowPixelCache } from './region-grow-segmenter';
import { samSegmenter } from './sam-segmenter';
import type { Segmenter } from './segment-types';

export type SegmenterChoice = 'auto' | 'sam' | 'region-grow';

/**
 * Picks the segmenter: `packId` names a SAM pack; without it, 'auto' takes the first
 * user-installed SAM pack (fixture packs have random weights and are only used when named)
 * and falls back to region growing; 'sam' insists on a SAM pack; 'region-grow' never uses SAM.
 * `windowCache` (the host's) keeps region growing's window pixels between calls.
 */
export async function chooseSegmenter(
  engine: Engine,
  registry: PackRegistry,
  opts: {
    packId?: string;
    choice?: SegmenterChoice;
    regionGrow?: RegionGrowOptions;
    windowCache?: WindowPixelCache;
  },
  signal?: AbortSignal,
): Promise<Segmenter> {
  const choice = opts.choice ?? 'auto';
  if (choice === 'region-grow') return regionGrowSegmenter(opts.regionGrow, opts.windowCache);
  if (opts.packId) {
    const p = await registry.get(opts.packId, signal);
    if (!p.manifest.roles.sam_image_encoder || !p.manifest.roles.sam_prompt_decoder)
      throw new AppError(
        'INVALID_INPUT',
        `pack ${opts.packId} has no SAM roles (it has: ${Object.keys(p.manifest.roles).join(', ')}); pass a SAM pack or leave --pack out for region growing`,
      );
    return samSegmenter(engine, p);
  }
  const { packs } = await registry.scan(signal);
  const sam = packs.find(
    (p) => p.source === 'user' && p.manifest.roles.sam_image_encoder && p.manifest.roles.sam_prompt_decoder,
  );
  if (sam) return samSegmenter(engine, sam);
  if (choice === 'sam')
    throw new AppError(
      'NOT_FOUND',
      `no SAM pack is installed (installed: ${packs.map((p) => p.manifest.id).join(', ') || 'none'}); import one or use region growing`,
    );
  return regionGrowSegmenter(opts.regionGrow, opts.windowCache);
}
