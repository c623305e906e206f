import { AppError } from '../../shared/errors';
import type { PackManifest } from '../packs/manifest';
import type { GeoTransform } from '../field/field-types';

/** Beyond this ratio between pack and scene GSD, indexing is refused unless forced. */
export const MAX_GSD_RATIO = 4;

/**
 * How a scene is cut into chips for one patch-encoder pack. Chips are read at `gsdM` (a window of
 * inputSize·gsdM/sceneResM scene pixels, resampled bilinearly to inputSize), so one patch covers
 * patchScenePx scene pixels. The patch grid covers the scene (ceil), partial edge patches
 * included. Chips step by `step` patches and keep only their central step×step patches (the
 * `margin` around them is context), so every grid patch gets exactly one vector, from exactly
 * one chip. Chunks of the field are whole numbers of chip steps, so a chunk never shares a chip
 * with another chunk: it can be computed, written and resumed on its own.
 */
export interface ChipGrid {
  sceneWidth: number;
  sceneHeight: number;
  sceneResM: number;
  /** GSD the chips are read at, m/pixel. */
  gsdM: number;
  /** Scene pixels per chip pixel (gsdM / sceneResM): > 1 downsamples, < 1 upsamples. */
  scale: number;
  /** Chip side in pixels (manifest input.size) and patch side in chip pixels. */
  inputSize: number;
  patchSize: number;
  /** Patches per chip side (inputSize / patchSize). */
  patchesPerChip: number;
  /** Scene pixels per patch side. */
  patchScenePx: number;
  rows: number;
  cols: number;
  /** Context patches on each side of a chip's kept block; step = patchesPerChip − 2·margin. */
  margin: number;
  step: number;
  /** Field chunk side in patches (a multiple of step). */
  chunkSize: number;
}

export interface ChipGridOptions {
  /** Read chips at this GSD instead of the pack's (e.g. the scene's own, for scale-free packs). */
  gsdM?: number;
  /** Refuse nothing: index even when the GSDs differ more than MAX_GSD_RATIO×. */
  forceGsd?: boolean;
  margin?: number;
  /** Chip steps per chunk side (default: the most that keeps chunks near 64 patches). */
  chipsPerChunk?: number;
}

/** Plans the chip grid of a scene for a pack; throws INVALID_INPUT for a far-off GSD unless forced. */
export function planChipGrid(
  scene: { name: string; width: number; height: number; resolutionM: [number, number] },
  m: Pick<PackManifest, 'id' | 'gsd_m' | 'input' | 'patch_size'>,
  opts: ChipGridOptions = {},
): ChipGrid {
  const sceneResM = Math.sqrt(scene.resolutionM[0] * scene.resolutionM[1]);
  const gsdM = opts.gsdM ?? m.gsd_m;
  const ratio = m.gsd_m / sceneResM;
  if (!opts.forceGsd && opts.gsdM === undefined && (ratio > MAX_GSD_RATIO || ratio < 1 / MAX_GSD_RATIO)) {
    const how =
      ratio > 1
        ? `${ratio.toFixed(1)}× finer than the pack's`
        : `${(1 / ratio).toFixed(1)}× coarser than the pack's`;
    throw new AppError(
      'INVALID_INPUT',
      `${scene.name}: ${sceneResM.toFixed(2)} m/pixel is ${how} training GSD (${m.gsd_m} m, pack ${m.id}); ` +
        `chips would be resampled ${ratio > 1 ? 'down' : 'up'} by ${Math.max(ratio, 1 / ratio).toFixed(1)}× and the features would not mean what the pack learned. ` +
        `Use a pack made for this GSD, or pass --force-gsd (forceGsd: true) to index anyway`,
      { sceneResM, packGsdM: m.gsd_m, ratio },
    );
  }
  const inputSize = m.input.size;
  const patchSize = m.patch_size;
  if (inputSize % patchSize !== 0)
    throw new AppError(
      'PACK_INVALID',
      `pack ${m.id}: input size ${inputSize} is not a multiple of patch size ${patchSize}`,
    );
  const g = inputSize / patchSize;
  const margin = opts.margin ?? 0;
  if (!Number.isInteger(margin) || margin < 0 || g - 2 * margin < 1)
    throw new AppError('INVALID_INPUT', `chip margin ${margin} patches leaves nothing of a ${g}-patch chip`);
  const step = g - 2 * margin;
  const scale = gsdM / sceneResM;
  const patchScenePx = patchSize * scale;
  const chipsPerChunk = opts.chipsPerChunk ?? Math.max(1, Math.round(64 / step));
  return {
    sceneWidth: scene.width,
    sceneHeight: scene.height,
    sceneResM,
    gsdM,
    scale,
    inputSize,
    patchSize,
    patchesPerChip: g,
    patchScenePx,
    // A patch that is 99.9 % outside the scene is not worth a row: 1e-6 guards float noise.
    rows: Math.ceil(scene.height / patchScenePx - 1e-6),
    cols: Math.ceil(scene.width / patchScenePx - 1e-6),
    margin,
    step,
    chunkSize: step * chipsPerChunk,
  };
}

/** Affine transform of the patch grid from the scene's pixel transform (GDAL order). */
export function patchGridTransform(sceneGt: readonly number[], grid: ChipGrid): GeoTransform {
  const k = grid.patchScenePx;
  return [sceneGt[0], sceneGt[1] * k, sceneGt[2] * k, sceneGt[3], sceneGt[4] * k, sceneGt[5] * k];
}

/** One chip: the grid cell of its top-left kept patch and its scene-pixel window (with margin). */
export interface ChipWindow {
  /** Kept block: patch rows [r0, r0+h), cols [c0, c0+w) of the grid. */
  r0: number;
  c0: number;
  h: number;
  w: number;
  /** Scene-pixel window of the whole chip (may extend past the scene; that part reads as nodata). */
  x: number;
  y: number;
  size: number;
}

/** The chips whose kept blocks tile the half-open patch window [r0,r1)×[c0,c1), row-major. */
export function chipsInWindow(grid: ChipGrid, r0: number, c0: number, r1: number, c1: number): ChipWindow[] {
  const out: ChipWindow[] = [];
  const size = grid.patchesPerChip * grid.patchScenePx;
  for (let r = r0; r < r1; r += grid.step) {
    for (let c = c0; c < c1; c += grid.step) {
      out.push({
        r0: r,
        c0: c,
        h: Math.min(grid.step, r1 - r),
        w: Math.min(grid.step, c1 - c),
        x: (c - grid.margin) * grid.patchScenePx,
        y: (r - grid.margin) * grid.patchScenePx,
        size,
      });
    }
  }
  return out;
}
