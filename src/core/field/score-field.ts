import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import { readChunkRaw } from './field-chunks';
import { chunkBounds } from './field-store';
import type { Field, GridWindow, RawChunk } from './field-types';
import { scoreChunk } from './score-kernel';

export interface ScoreOptions {
  /** Only cells in this half-open window are scored; the rest are NaN. */
  window?: GridWindow;
  /** uint8[rows*cols]: cells with 0 are NaN (see roiToGridMask). */
  roiMask?: Uint8Array;
}

/**
 * Scores every patch of the field against a unit query vector: scores = field · q, which is the
 * cosine similarity because stored vectors are unit (see field-types.ts). Works chunk by chunk
 * (one chunk read ahead while the previous one is scored), so memory stays at two chunks plus
 * the output. Cells that are nodata, in chunks not written yet, outside the window or outside
 * the ROI are NaN.
 * A pure function of (field contents, q, options): callers may cache it under scoreCacheKey.
 * @param q float32[dim], L2 norm 1 (±1e-3)
 * @returns float32[rows*cols], row-major over the patch grid
 */
export async function scoreField(
  field: Field,
  q: Float32Array,
  opts: ScoreOptions = {},
  signal?: AbortSignal,
): Promise<Float32Array> {
  const { rows, cols, dim, chunkSize: cs } = field.meta;
  if (q.length !== dim)
    throw new AppError('INVALID_INPUT', `query has ${q.length} dims, field ${field.dir} has ${dim}`);
  let ss = 0;
  for (let d = 0; d < dim; d++) ss += q[d] * q[d];
  if (!(Math.abs(Math.sqrt(ss) - 1) <= 1e-3)) {
    throw new AppError(
      'INVALID_INPUT',
      `query vector is not unit length (norm ${Math.sqrt(ss).toFixed(6)}); normalise it first`,
    );
  }
  if (opts.roiMask && opts.roiMask.length !== rows * cols) {
    throw new AppError(
      'INVALID_INPUT',
      `roi mask has ${opts.roiMask.length} cells, the grid has ${rows * cols}`,
    );
  }
  const win = clipWindow(opts.window ?? { r0: 0, c0: 0, r1: rows, c1: cols }, rows, cols);
  const out = new Float32Array(rows * cols).fill(NaN);
  const todo: { cr: number; cc: number }[] = [];
  for (let cr = Math.floor(win.r0 / cs); cr * cs < win.r1; cr++) {
    for (let cc = Math.floor(win.c0 / cs); cc * cs < win.c1; cc++) {
      if (opts.roiMask && !windowHasRoi(opts.roiMask, cols, intersect(chunkBounds(field.grid, cr, cc), win)))
        continue;
      todo.push({ cr, cc });
    }
  }
  let next: Promise<RawChunk | null> | null = todo.length
    ? readChunkRaw(field, todo[0].cr, todo[0].cc, signal)
    : null;
  for (let i = 0; i < todo.length; i++) {
    const chunk = await next!;
    next = i + 1 < todo.length ? readChunkRaw(field, todo[i + 1].cr, todo[i + 1].cc, signal) : null;
    // An unhandled rejection of the read-ahead must not escape when we abort here.
    next?.catch(() => {});
    throwIfAborted(signal);
    if (!chunk) continue;
    const w = intersect({ r0: chunk.r0, c0: chunk.c0, r1: chunk.r0 + chunk.h, c1: chunk.c0 + chunk.w }, win);
    scoreChunk({
      emb: chunk.emb,
      valid: chunk.valid,
      scale: chunk.scale,
      cs,
      dim,
      q,
      r0: w.r0 - chunk.r0,
      r1: w.r1 - chunk.r0,
      c0: w.c0 - chunk.c0,
      c1: w.c1 - chunk.c0,
      gr0: chunk.r0,
      gc0: chunk.c0,
      cols,
      roi: opts.roiMask ?? null,
      out,
    });
  }
  return out;
}

function clipWindow(w: GridWindow, rows: number, cols: number): GridWindow {
  return {
    r0: Math.max(0, Math.floor(w.r0)),
    c0: Math.max(0, Math.floor(w.c0)),
    r1: Math.min(rows, Math.ceil(w.r1)),
    c1: Math.min(cols, Math.ceil(w.c1)),
  };
}

function intersect(a: GridWindow, b: GridWindow): GridWindow {
  return {
    r0: Math.max(a.r0, b.r0),
    c0: Math.max(a.c0, b.c0),
    r1: Math.min(a.r1, b.r1),
    c1: Math.min(a.c1, b.c1),
  };
}

function windowHasRoi(mask: Uint8Array, cols: number, w: GridWindow): boolean {
  for (let r = w.r0; r < w.r1; r++) for (let c = w.c0; c < w.c1; c++) if (mask[r * cols + c]) return true;
  return false;
}

/**
 * A cache key for scoreField's result: changes whenever the field gains chunks or the
 * query/options change. (The field's chunks are immutable once complete.)
 */
export function scoreCacheKey(field: Field, q: Float32Array, opts: ScoreOptions = {}): string {
  const h = createHash('sha256');
  h.update(`${field.dir}\0${field.meta.createdAt}\0${field.meta.pack.sha256}\0`);
  h.update(field.complete);
  h.update(new Uint8Array(q.buffer, q.byteOffset, q.byteLength));
  h.update(JSON.stringify(opts.window ?? null));
  if (opts.roiMask) h.update(opts.roiMask);
  return h.digest('hex');
}
