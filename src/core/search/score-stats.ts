import type { ScoreStats } from '../../shared/contract/search';

/** Sorted copy of the non-NaN scores (float32). */
export function sortedScores(scores: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] === scores[i]) n++;
  const out = new Float32Array(n);
  let k = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] === scores[i]) out[k++] = scores[i];
  return out.sort();
}

/** Value at quantile q (0..1) of sorted values, nearest rank; NaN when empty. */
export function quantile(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

/** min/max/mean/p50/p95/p99 over the non-NaN scores (all NaN when there is none). */
export function scoreStats(sorted: Float32Array): ScoreStats {
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  const n = sorted.length;
  return {
    min: n ? sorted[0] : NaN,
    max: n ? sorted[n - 1] : NaN,
    mean: n ? sum / n : NaN,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    n,
  };
}

/** Robust outlier cut-off: k = 3 scaled MADs above the median (see README.md). */
export const AUTO_MAD_K = 3;
/** The cut-off never goes below a cosine of 0: a patch pointing away from the query is never a match. */
export const AUTO_MIN = 0;

/**
 * Default threshold from the scores' own distribution (the scores of every queried scene
 * together): median + AUTO_MAD_K × 1.4826 × MAD, capped at the 99th percentile (when the concept
 * covers most of the view the outlier rule would select nothing), floored at AUTO_MIN (the floor
 * wins: a query nothing resembles detects nothing). See README.md.
 * @param sorted ascending, no NaN
 */
export function autoThreshold(sorted: Float32Array): number {
  if (sorted.length === 0) return 1;
  const med = quantile(sorted, 0.5);
  const dev = new Float32Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) dev[i] = Math.abs(sorted[i] - med);
  dev.sort();
  const mad = 1.4826 * quantile(dev, 0.5);
  return Math.max(AUTO_MIN, Math.min(med + AUTO_MAD_K * mad, quantile(sorted, 0.99)));
}
