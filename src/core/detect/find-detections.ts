import { AppError } from '../../shared/errors';
import { labelComponents } from './components';
import type { Detection } from './detection-types';

export interface DetectOptions {
  /** Cells with score >= threshold are foreground (NaN never is). */
  threshold: number;
  /** Ground area of one patch, m² (FieldMeta.patchSizeM²). */
  patchAreaM2: number;
  /** Drop components smaller than this many patches (default 1: keep all). */
  minPatches?: number;
}

/**
 * Thresholds the whole score grid and turns each 8-connected component into a Detection.
 * Runs on the full grid even when the scores were computed chunk by chunk, so nothing is split
 * at chunk seams.
 * @param scores float32[rows*cols] (NaN = no score)
 * @returns detections ordered by peak score, highest first
 */
export function findDetections(
  scores: Float32Array,
  rows: number,
  cols: number,
  opts: DetectOptions,
): Detection[] {
  if (scores.length !== rows * cols) {
    throw new AppError(
      'INVALID_INPUT',
      `scores have ${scores.length} cells, the grid ${rows}x${cols} has ${rows * cols}`,
    );
  }
  const mask = new Uint8Array(rows * cols);
  for (let i = 0; i < mask.length; i++) mask[i] = scores[i] >= opts.threshold ? 1 : 0;
  const { labels, count } = labelComponents(mask, rows, cols);
  // Per-label accumulation in one pass over the grid, then cell lists by counting sort.
  const n = new Int32Array(count + 1);
  const sum = new Float64Array(count + 1);
  const peak = new Float64Array(count + 1).fill(-Infinity);
  const peakCell = new Int32Array(count + 1);
  const r0 = new Int32Array(count + 1).fill(rows);
  const c0 = new Int32Array(count + 1).fill(cols);
  const r1 = new Int32Array(count + 1);
  const c1 = new Int32Array(count + 1);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!l) continue;
    const s = scores[i];
    const r = (i / cols) | 0;
    const c = i - r * cols;
    n[l]++;
    sum[l] += s;
    if (s > peak[l]) {
      peak[l] = s;
      peakCell[l] = i;
    }
    if (r < r0[l]) r0[l] = r;
    if (r + 1 > r1[l]) r1[l] = r + 1;
    if (c < c0[l]) c0[l] = c;
    if (c + 1 > c1[l]) c1[l] = c + 1;
  }
  const offset = new Int32Array(count + 2);
  for (let l = 1; l <= count; l++) offset[l + 1] = offset[l] + n[l];
  const all = new Int32Array(offset[count + 1]);
  const fill = offset.slice();
  for (let i = 0; i < labels.length; i++) if (labels[i]) all[fill[labels[i]]++] = i;
  const minPatches = opts.minPatches ?? 1;
  const out: Detection[] = [];
  for (let l = 1; l <= count; l++) {
    if (n[l] < minPatches) continue;
    out.push({
      id: l,
      cells: all.subarray(offset[l], offset[l + 1]),
      peak: peak[l],
      peakCell: peakCell[l],
      mean: sum[l] / n[l],
      areaPatches: n[l],
      areaM2: n[l] * opts.patchAreaM2,
      bbox: { r0: r0[l], c0: c0[l], r1: r1[l], c1: c1[l] },
    });
  }
  return out.sort((a, b) => b.peak - a.peak || a.id - b.id);
}
