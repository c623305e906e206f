/** One progress sample of a job. */
export interface ProgressSample {
  done: number;
  /** ms since epoch */
  at: number;
}

/**
 * Rate (units/s) and ETA (s) from the first and latest samples of a job; null until there are
 * two samples that moved. Averaging over the whole run keeps the ETA from jumping per chunk.
 */
export function rateAndEta(
  first: ProgressSample | null,
  last: ProgressSample | null,
  total: number,
): { rate: number; etaS: number } | null {
  if (!first || !last || last.at <= first.at || last.done <= first.done) return null;
  const rate = ((last.done - first.done) * 1000) / (last.at - first.at);
  return { rate, etaS: Math.max(0, (total - last.done) / rate) };
}

/** "ETA 0:42" (h:mm:ss past an hour). */
export function formatEta(etaS: number): string {
  const s = Math.round(etaS);
  const t =
    s >= 3600
      ? `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
      : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `ETA ${t}`;
}

/** "1.2k patches/s · ETA 0:42" */
export function formatRate(r: { rate: number; etaS: number } | null, unit: string): string {
  if (!r) return '';
  const rate =
    r.rate >= 1000 ? `${(r.rate / 1000).toFixed(1)}k` : r.rate >= 10 ? r.rate.toFixed(0) : r.rate.toFixed(1);
  return `${rate} ${unit}/s · ${formatEta(r.etaS)}`;
}
