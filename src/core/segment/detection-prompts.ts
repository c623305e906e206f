import type { Detection } from '../detect/detection-types';
import type { InstancePrompt } from './segment-types';

/** The patch grid of a score field, as far as prompts need it. */
export interface PatchGridRef {
  rows: number;
  cols: number;
  /** Cell (row, col) centre → scene pixel-edge coordinates (x, y). */
  cellToScenePx(row: number, col: number): [number, number];
  /** Patch side in scene pixels (for seed snapping). */
  patchSizePx: number;
}

/**
 * One prompt per detection: the positive point at the centre of the detection's peak patch,
 * and up to `maxNegatives` negative points at the centres of the lowest-scoring patches
 * (below the threshold, outside the detection) within `radius` cells of the peak: the
 * "not this" context around the object.
 * @param scores float32[rows*cols] score grid the detections came from (NaN = no score)
 */
export function detectionPrompts(
  detections: Detection[],
  scores: Float32Array,
  grid: PatchGridRef,
  threshold: number,
  opts: { maxNegatives?: number; radius?: number } = {},
): InstancePrompt[] {
  const maxNeg = opts.maxNegatives ?? 2;
  const radius = opts.radius ?? 2;
  const { rows, cols } = grid;
  return detections.map((d) => {
    const pr = Math.floor(d.peakCell / cols);
    const pc = d.peakCell - pr * cols;
    const own = new Set(d.cells);
    const cands: { cell: number; s: number }[] = [];
    for (let r = Math.max(0, pr - radius); r <= Math.min(rows - 1, pr + radius); r++)
      for (let c = Math.max(0, pc - radius); c <= Math.min(cols - 1, pc + radius); c++) {
        const cell = r * cols + c;
        const s = scores[cell];
        if (own.has(cell) || !(s < threshold)) continue;
        cands.push({ cell, s });
      }
    cands.sort((a, b) => a.s - b.s || a.cell - b.cell);
    const [x, y] = grid.cellToScenePx(pr, pc);
    return {
      id: d.id,
      positive: { x, y },
      negatives: cands.slice(0, maxNeg).map(({ cell }) => {
        const [nx, ny] = grid.cellToScenePx(Math.floor(cell / cols), cell % cols);
        return { x: nx, y: ny };
      }),
      score: d.peak,
      meanScore: d.mean,
      snapPx: grid.patchSizePx / 4,
    };
  });
}
