import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { createField, openField } from '../field/field-store';
import { openMatchingField } from '../field/open-matching-field';
import type { Field, FieldDtype, FieldMeta, GeoTransform } from '../field/field-types';
import type { Scene } from '../imagery/scene';
import type { Pack } from '../packs/manifest';
import type { ChipGrid } from '../search/chip-grid';

/**
 * The chip field: one image-level embedding per chip of the index's chip grid, stored as an
 * embedding field (same Zarr v3 layout, src/core/field) in `<patch field>/chips/`, so that
 * replacing or deleting the patch field takes its chips along.
 *
 * Its grid is the chip grid: cell (i, j) is the chip whose kept block starts at patch
 * (i·step, j·step); `geoTransform` maps cells to those kept blocks (step patches a side).
 * The embedding saw the whole chip, `margin` patches more on each side; so that the chip
 * geometry can be recovered from the two fields' metadata alone, `patchSizePx` of the chip
 * field is the chip side in chip pixels (input size) and `patchSizeM` its side on the ground.
 * Chunk (cr, cc) of the chip field holds exactly the chips of chunk (cr, cc) of the patch field.
 */
export const CHIP_FIELD_SUBDIR = 'chips';

/** A chip is retrievable when at least this fraction of its patches is data (mostly-nodata edge chips are not). */
export const MIN_CHIP_VALID_FRACTION = 0.5;

export const chipFieldDir = (patchFieldDir: string) => path.join(patchFieldDir, CHIP_FIELD_SUBDIR);

/** sha256 of the pack's image encoder as its manifest records it ('' when it has none). */
export function imageEncoderSha(pack: Pack): string {
  const role = pack.manifest.roles.image_encoder;
  return role ? (pack.manifest.files[role.file]?.sha256 ?? '') : '';
}

/** Chip-grid shape and transform for a patch grid (see the module comment). */
export function chipGridLayout(
  grid: ChipGrid,
  patchGt: GeoTransform,
): { rows: number; cols: number; chunkSize: number; gt: GeoTransform } {
  const k = grid.step;
  return {
    rows: Math.ceil(grid.rows / k),
    cols: Math.ceil(grid.cols / k),
    chunkSize: grid.chunkSize / k,
    gt: [patchGt[0], patchGt[1] * k, patchGt[2] * k, patchGt[3], patchGt[4] * k, patchGt[5] * k],
  };
}

/** How chips sit on the patch grid, recovered from the two fields' metadata. */
export interface ChipGeometry {
  /** Patches per chip side, kept-block side (chip-grid cell) and context patches on each side. */
  patchesPerChip: number;
  step: number;
  margin: number;
  /** Patch grid extent (the footprints are clipped to it). */
  patchRows: number;
  patchCols: number;
}

export function chipGeometry(patch: FieldMeta, chips: FieldMeta): ChipGeometry {
  const g = Math.round(chips.patchSizePx / patch.patchSizePx);
  const step = Math.round(
    Math.hypot(chips.geoTransform[1], chips.geoTransform[4]) /
      Math.hypot(patch.geoTransform[1], patch.geoTransform[4]),
  );
  const margin = (g - step) / 2;
  if (
    !(step >= 1) ||
    !Number.isInteger(margin) ||
    margin < 0 ||
    chips.rows !== Math.ceil(patch.rows / step) ||
    chips.cols !== Math.ceil(patch.cols / step)
  )
    throw new AppError(
      'INVALID_INPUT',
      `chip field of ${patch.sceneId}: its grid (${chips.rows}x${chips.cols}, ${g}-patch chips stepping ${step}) does not fit the patch grid ${patch.rows}x${patch.cols}; re-index with --reindex`,
    );
  return { patchesPerChip: g, step, margin, patchRows: patch.rows, patchCols: patch.cols };
}

/**
 * Opens the chip field of an index, or creates it (next to a patch field that was just created,
 * or one written before chip embeddings existed: the index job then fills it chunk by chunk).
 * A chip field made with other settings (another image encoder, grid or dtype) is replaced when
 * `reindex`, refused otherwise.
 */
export async function openOrCreateChipField(
  patchField: Field,
  scene: Scene,
  pack: Pack,
  grid: ChipGrid,
  opts: { dtype?: FieldDtype; reindex?: boolean },
  signal?: AbortSignal,
): Promise<Field> {
  const m = pack.manifest;
  const dir = chipFieldDir(patchField.dir);
  const sha = imageEncoderSha(pack);
  const want = chipGridLayout(grid, patchField.meta.geoTransform);
  const existing = await openMatchingField(
    dir,
    (meta) =>
      meta.rows === want.rows &&
      meta.cols === want.cols &&
      meta.chunkSize === want.chunkSize &&
      meta.dim === m.embed_dim &&
      meta.pack.sha256 === sha &&
      meta.patchSizePx === grid.inputSize &&
      meta.dtype === patchField.meta.dtype,
    {
      replace: opts.reindex === true,
      mismatch: (meta) =>
        `the chip embeddings of this index were made differently (pack ${meta.pack.id} ${meta.pack.version}, grid ${meta.rows}x${meta.cols})`,
    },
    signal,
  );
  if (existing) return existing;
  return createField(
    dir,
    {
      sceneId: scene.id,
      pack: { id: m.id, version: m.version, sha256: sha },
      crs: { ...patchField.meta.crs },
      geoTransform: want.gt,
      patchSizePx: grid.inputSize,
      patchSizeM: grid.patchesPerChip * grid.patchScenePx * grid.sceneResM,
      sourceGsdM: grid.sceneResM,
      packGsdM: m.gsd_m,
      rows: want.rows,
      cols: want.cols,
      dim: m.embed_dim,
      dtype: patchField.meta.dtype,
      chunkSize: want.chunkSize,
    },
    signal,
  );
}

/**
 * Opens the chip field of a patch field for retrieval. An index made before chip retrieval
 * existed (or with a pack without an image encoder) has none: NOT_INDEXED, saying how to get one.
 */
export async function openChipField(
  patchFieldDir: string,
  what: string,
  signal?: AbortSignal,
): Promise<Field | null> {
  const dir = chipFieldDir(patchFieldDir);
  const exists = await fs.stat(path.join(dir, 'zarr.json')).then(
    () => true,
    () => false,
  );
  if (!exists) return null;
  return openField(dir, signal).catch((e: AppError) => {
    throw new AppError(
      'NOT_INDEXED',
      `${what}: its chip embeddings (${dir}) cannot be opened (${e.message}); re-index with --reindex to enable chip retrieval`,
    );
  });
}
