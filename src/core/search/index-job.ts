import path from 'node:path';
import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import type { Engine } from '../../engine/engine-client';
import { createField } from '../field/field-store';
import { openMatchingField } from '../field/open-matching-field';
import { missingChunks, writeChunk } from '../field/field-chunks';
import type { Field, FieldDtype } from '../field/field-types';
import type { Scene } from '../imagery/scene';
import type { JobContext } from '../jobs/job-types';
import type { Pack } from '../packs/manifest';
import type { PackSource } from '../packs/pack-registry';
import type { Project } from '../project/project';
import { chipsInWindow, patchGridTransform, planChipGrid, type ChipGrid, type ChipWindow } from './chip-grid';
import { readChips } from './read-chips';
import { openOrCreateChipField } from '../retrieve/chip-field';
import { ChipChunk } from '../retrieve/chip-chunk';

/** Bands a pack can do without (fed as 0; see src/core/inference/preprocess.ts). */
const OPTIONAL_BANDS = new Set(['NIR']);

export interface IndexOptions {
  forceGsd?: boolean;
  /** Context patches around each chip's kept block (default 0: chips tile the grid). */
  margin?: number;
  chipsPerChunk?: number;
  dtype?: FieldDtype;
  /** Chips per engine request (progress and cancel granularity). */
  batchChips?: number;
  /** Delete an existing field of this (scene, pack) that was made differently, instead of refusing. */
  reindex?: boolean;
  /**
   * Also store one image-level embedding per chip (for chip retrieval) when the pack has an
   * image encoder. Default true; false halves the work of a CLIP-style pack.
   */
  chipEmbeddings?: boolean;
}

export interface IndexSummary {
  sceneId: string;
  packId: string;
  fieldDir: string;
  rows: number;
  cols: number;
  gsdM: number;
  /** Chip read GSD differs from the scene's (chips were resampled). */
  resampled: boolean;
  chunksTotal: number;
  chunksWritten: number;
  chunksResumed: number;
  chipsRun: number;
  chipsSkipped: number;
  patchesPerS: number;
  /** Chip field (one image embedding per chip, src/core/retrieve) when the pack has an image encoder. */
  chipFieldDir: string | null;
  /** Chips run through the image encoder in this run. */
  imageChipsRun: number;
}

/** Relative folder of the field of (scene, pack) inside a project. */
export const fieldDirName = (sceneId: string, packId: string) => path.join('fields', `${sceneId}__${packId}`);

/** sha256 of the pack's patch encoder as its manifest records it (identifies the weights). */
export function patchEncoderSha(pack: Pack): string {
  const role = pack.manifest.roles.patch_encoder;
  if (!role)
    throw new AppError(
      'UNSUPPORTED',
      `pack ${pack.manifest.id} has no patch encoder (it has: ${Object.keys(pack.manifest.roles).join(', ')}); it cannot index a scene`,
    );
  return pack.manifest.files[role.file]?.sha256 ?? '';
}

/**
 * The chip grid a (scene, pack) is indexed with. Starter packs compute per-patch band statistics
 * with no learned scale, so they read chips at the scene's own GSD (no resampling); learned
 * packs read at their training GSD (see README.md).
 */
export function gridFor(
  scene: Scene,
  pack: Pack & { source?: PackSource },
  opts: IndexOptions = {},
): ChipGrid {
  const native = pack.source === 'starter';
  const res = Math.sqrt(scene.resolutionM[0] * scene.resolutionM[1]);
  return planChipGrid(scene, pack.manifest, {
    gsdM: native ? res : undefined,
    forceGsd: opts.forceGsd,
    margin: opts.margin,
    chipsPerChunk: opts.chipsPerChunk,
  });
}

async function openOrCreate(
  dir: string,
  scene: Scene,
  pack: Pack,
  grid: ChipGrid,
  opts: IndexOptions,
  signal: AbortSignal,
): Promise<Field> {
  const m = pack.manifest;
  const sha = patchEncoderSha(pack);
  const want = {
    rows: grid.rows,
    cols: grid.cols,
    dim: m.embed_dim,
    chunkSize: grid.chunkSize,
    gt: patchGridTransform(scene.geoTransform, grid),
  };
  const existing = await openMatchingField(
    dir,
    (meta) =>
      meta.rows === want.rows &&
      meta.cols === want.cols &&
      meta.dim === want.dim &&
      meta.chunkSize === want.chunkSize &&
      meta.pack.sha256 === sha &&
      meta.sceneId === scene.id &&
      meta.geoTransform.every((v, i) => Math.abs(v - want.gt[i]) <= 1e-9 * Math.max(1, Math.abs(v))) &&
      (opts.dtype === undefined || opts.dtype === meta.dtype),
    {
      replace: opts.reindex === true,
      mismatch: (meta) =>
        `an index of this scene with pack ${m.id} exists but was made differently (pack ${meta.pack.id} ${meta.pack.version}, grid ${meta.rows}x${meta.cols}, chunk ${meta.chunkSize})`,
    },
    signal,
  );
  if (existing) return existing;
  return createField(
    dir,
    {
      sceneId: scene.id,
      pack: { id: m.id, version: m.version, sha256: sha },
      crs: { epsg: scene.crs.epsg, proj4: scene.crs.proj4 },
      geoTransform: want.gt,
      patchSizePx: m.patch_size,
      patchSizeM: grid.patchScenePx * grid.sceneResM,
      sourceGsdM: grid.sceneResM,
      packGsdM: m.gsd_m,
      rows: grid.rows,
      cols: grid.cols,
      dim: m.embed_dim,
      dtype: opts.dtype ?? 'float16',
      chunkSize: grid.chunkSize,
    },
    signal,
  );
}

/**
 * Indexes one scene with one patch-encoder pack into `<project>/fields/<scene>__<pack>/`, chunk by
 * chunk; resumes from the field's completion bitmap (a chunk is written atomically and only
 * then marked complete, so a killed run loses at most the chunk in flight). Chips with no valid
 * patch are not run. Inference happens in the engine (`engine.encodePatches`).
 * Progress: phase 'indexing', patches done / total.
 */
export async function runIndexJob(
  project: Project,
  scene: Scene,
  pack: Pack & { source?: PackSource },
  engine: Engine,
  opts: IndexOptions,
  job: JobContext,
): Promise<IndexSummary> {
  const { signal } = job;
  const m = pack.manifest;
  const sceneBands = new Set(scene.bands.map((b) => b.name));
  const missing = m.bands.filter((b) => !sceneBands.has(b) && !OPTIONAL_BANDS.has(b));
  if (missing.length)
    throw new AppError(
      'INVALID_INPUT',
      `${scene.name}: has bands ${[...sceneBands].join(',')} but pack ${m.id} needs ${missing.join(',')}`,
    );
  const bands = m.bands.filter((b) => sceneBands.has(b));
  const grid = gridFor(scene, pack, opts);
  const rel = fieldDirName(scene.id, m.id);
  const field = await openOrCreate(project.resolve(rel), scene, pack, grid, opts, signal);
  // Image-level packs also get one embedding per chip (chip retrieval); same chunks, same resume.
  const chipField =
    m.roles.image_encoder && opts.chipEmbeddings !== false
      ? await openOrCreateChipField(field, scene, pack, grid, opts, signal)
      : null;
  const total = grid.rows * grid.cols;
  const upsertIndex = (complete: boolean) =>
    project.update((p) => {
      const entry = {
        sceneId: scene.id,
        packId: m.id,
        packVersion: m.version,
        packSha: field.meta.pack.sha256,
        fieldDir: rel,
        complete,
        gsdM: grid.gsdM,
        patches: total,
        updated: new Date().toISOString(),
      };
      const i = p.indexes.findIndex((x) => x.sceneId === scene.id && x.packId === m.id);
      if (i >= 0) p.indexes[i] = entry;
      else p.indexes.push(entry);
    }, signal);
  await upsertIndex(false);

  const todo = missingChunks(field);
  if (chipField) {
    for (const t of missingChunks(chipField))
      if (!todo.some((x) => x.cr === t.cr && x.cc === t.cc)) todo.push(t);
    todo.sort((a, b) => a.cr - b.cr || a.cc - b.cc);
  }
  const cellsOf = (cr: number, cc: number) => {
    const s = grid.chunkSize;
    return (Math.min(grid.rows, (cr + 1) * s) - cr * s) * (Math.min(grid.cols, (cc + 1) * s) - cc * s);
  };
  let done = total - todo.reduce((a, t) => a + cellsOf(t.cr, t.cc), 0);
  const resumed = field.complete.length - todo.length;
  job.progress('indexing', done, total);
  const started = performance.now();
  let patchesRun = 0;
  let chipsRun = 0;
  let chipsSkipped = 0;
  let imageChipsRun = 0;
  const batch = Math.max(1, opts.batchChips ?? 8);
  const dim = m.embed_dim;
  const S = grid.inputSize;

  for (const { cr, cc } of todo) {
    throwIfAborted(signal);
    const s = grid.chunkSize;
    const r0 = cr * s;
    const c0 = cc * s;
    const r1 = Math.min(grid.rows, r0 + s);
    const c1 = Math.min(grid.cols, c0 + s);
    const h = r1 - r0;
    const w = c1 - c0;
    const data = new Float32Array(h * w * dim);
    const valid = new Uint8Array(h * w);
    const chips = chipsInWindow(grid, r0, c0, r1, c1);
    const ci = cr * field.grid.chunkCols + cc;
    const needPatches = !field.complete[ci];
    const chipChunk = chipField && !chipField.complete[ci] ? new ChipChunk(chipField, grid, cr, cc) : null;
    let chunkDone = 0;
    for (let i = 0; i < chips.length; i += batch) {
      const part = chips.slice(i, i + batch);
      const read = await readChips(scene, grid, part, bands, signal);
      const run: { chip: ChipWindow; k: number }[] = [];
      part.forEach((chip, k) => (read.keep[k] ? run.push({ chip, k }) : chipsSkipped++));
      if (chipChunk) await chipChunk.encode(engine, pack, part, read, bands, signal);
      if (run.length && needPatches) {
        const plane = S * S * bands.length;
        const pixels = new Float32Array(run.length * plane);
        run.forEach(({ k }, j) => pixels.set(read.pixels.subarray(k * plane, (k + 1) * plane), j * plane));
        // embeds: float32[n, g*g, dim], tokens row-major over the chip's patch grid
        const enc = await engine.request(
          'engine.encodePatches',
          { packId: m.id, packDir: pack.dir, pixels, bands, n: run.length, height: S, width: S },
          { signal },
        );
        if (enc.dim !== dim || enc.grid.rows !== grid.patchesPerChip || enc.grid.cols !== grid.patchesPerChip)
          throw new AppError(
            'PACK_INVALID',
            `pack ${m.id}: encoder returned ${enc.grid.rows}x${enc.grid.cols} patches of ${enc.dim} dims, manifest says ${grid.patchesPerChip}x${grid.patchesPerChip} of ${dim}`,
          );
        const g = grid.patchesPerChip;
        run.forEach(({ chip, k }, j) => {
          for (let pr = 0; pr < chip.h; pr++) {
            for (let pc = 0; pc < chip.w; pc++) {
              const cell = (chip.r0 - r0 + pr) * w + (chip.c0 - c0 + pc);
              const pv = read.patchValid[k * g * g + (pr + grid.margin) * g + (pc + grid.margin)];
              if (!pv) continue;
              const tok = (pr + grid.margin) * g + (pc + grid.margin);
              data.set(enc.embeds.subarray((j * g * g + tok) * dim, (j * g * g + tok + 1) * dim), cell * dim);
              valid[cell] = 1;
            }
          }
        });
        chipsRun += run.length;
      }
      const cells = part.reduce((a, c) => a + c.h * c.w, 0);
      chunkDone += cells;
      job.progress('indexing', done + chunkDone, total);
    }
    // Chips first: a patch chunk marked complete then implies its chip chunk is.
    if (chipChunk) {
      await chipChunk.write(signal);
      imageChipsRun += chipChunk.chipsRun;
    }
    if (needPatches) {
      await writeChunk(field, cr, cc, data, valid, signal);
      patchesRun += h * w;
    }
    done += h * w;
    job.progress('indexing', done, total);
  }
  await upsertIndex(true);
  const secs = (performance.now() - started) / 1000;
  return {
    sceneId: scene.id,
    packId: m.id,
    fieldDir: field.dir,
    rows: grid.rows,
    cols: grid.cols,
    gsdM: grid.gsdM,
    resampled: Math.abs(grid.scale - 1) > 1e-6,
    chunksTotal: field.complete.length,
    chunksWritten: todo.length,
    chunksResumed: resumed,
    chipsRun,
    chipsSkipped,
    patchesPerS: secs > 0 ? patchesRun / secs : 0,
    chipFieldDir: chipField?.dir ?? null,
    imageChipsRun,
  };
}
