/** What a long-running core function receives: cancellation and a progress sink. */
export interface JobContext {
  signal: AbortSignal;
  /** Report progress; `done`/`total` are in the phase's own units (patches, tiles, bytes). */
  progress(phase: string, done: number, total: number): void;
}

/** A no-op context for callers that neither cancel nor watch progress (tests, scripts). */
export function silentJobContext(signal: AbortSignal = new AbortController().signal): JobContext {
  return { signal, progress: () => {} };
}
