import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import type { RetrievedChip, RoiGeometry } from '../../shared/contract/search';
import { scoreField } from '../field/score-field';
import type { Field } from '../field/field-types';
import { roiToGrid, roiTouchMask } from '../search/roi-grid';
import { chipGeometry } from './chip-field';
import { chipFootprint, chipRect, gridToWgs84 } from './chip-footprint';

/** One indexed scene for retrieval: its patch field (georeferencing, extent) and its chip field. */
export interface ChipTarget {
  sceneId: string;
  patch: Field;
  chips: Field;
}

export interface ChipScores {
  sceneId: string;
  /** float32[chipRows*chipCols]: cosine with the query; NaN = no embedding or outside the ROI. */
  scores: Float32Array;
  rows: number;
  cols: number;
}

/** Summed-area table of a uint8 mask, float64[(rows+1)*(cols+1)]: O(1) "any set cell in a rectangle". */
function integral(mask: Uint8Array, rows: number, cols: number): Float64Array {
  const s = new Float64Array((rows + 1) * (cols + 1));
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      s[(r + 1) * (cols + 1) + c + 1] =
        mask[r * cols + c] + s[r * (cols + 1) + c + 1] + s[(r + 1) * (cols + 1) + c] - s[r * (cols + 1) + c];
  return s;
}

/**
 * Scores every chip of each target against a unit query vector (chip embeddings are unit, so
 * field · q is the cosine). With an ROI, a chip keeps its score only when its footprint (the
 * patches it saw, chipRect) touches the ROI: one of those patches' squares overlaps it
 * (roiTouchMask, the rule detections use), so chips on the ROI border are kept whole.
 * @param q float32[dim], L2 norm 1
 */
export async function scoreChips(
  targets: ChipTarget[],
  q: Float32Array,
  roi: RoiGeometry | undefined,
  signal?: AbortSignal,
): Promise<ChipScores[]> {
  const out: ChipScores[] = [];
  for (const t of targets) {
    throwIfAborted(signal);
    const geo = chipGeometry(t.patch.meta, t.chips.meta);
    const scores = await scoreField(t.chips, q, {}, signal);
    const { rows, cols } = t.chips.meta;
    if (roi) {
      const touch = roiTouchMask(roiToGrid(roi, t.patch.meta), geo.patchRows, geo.patchCols);
      const sat = integral(touch, geo.patchRows, geo.patchCols);
      const W = geo.patchCols + 1;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) {
          const k = r * cols + c;
          if (Number.isNaN(scores[k])) continue;
          const b = chipRect(geo, r, c);
          const n = sat[b.r1 * W + b.c1] - sat[b.r0 * W + b.c1] - sat[b.r1 * W + b.c0] + sat[b.r0 * W + b.c0];
          if (n === 0) scores[k] = NaN;
        }
    }
    out.push({ sceneId: t.sceneId, scores, rows, cols });
  }
  return out;
}

/**
 * The K best chips over all targets, best first (ties: scene, row, col), with their WGS84
 * footprints and centres.
 */
export function topChips(targets: ChipTarget[], scored: ChipScores[], topK: number): RetrievedChip[] {
  if (!Number.isInteger(topK) || topK < 1)
    throw new AppError('BAD_REQUEST', `top-k must be a positive integer, got ${topK}`);
  const all: { t: number; k: number; score: number }[] = [];
  scored.forEach((s, t) => {
    for (let k = 0; k < s.scores.length; k++)
      if (!Number.isNaN(s.scores[k])) all.push({ t, k, score: s.scores[k] });
  });
  all.sort((a, b) => b.score - a.score || a.t - b.t || a.k - b.k);
  return all.slice(0, topK).map(({ t, k, score }) => {
    const tg = targets[t];
    const cols = scored[t].cols;
    const row = Math.floor(k / cols);
    const col = k - row * cols;
    const geo = chipGeometry(tg.patch.meta, tg.chips.meta);
    const { footprint, centre } = chipFootprint(chipRect(geo, row, col), gridToWgs84(tg.patch.meta));
    return { sceneId: tg.sceneId, row, col, score, footprint, centre };
  });
}
