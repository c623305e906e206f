import type { JobContext } from '../core/jobs/job-types';

/**
 * A one-line progress bar on stderr when it is a TTY: phase, bar, done/total, rate and ETA.
 * Silent otherwise, so logs and pipes stay clean.
 */
export function progressContext(
  label: string,
  stream: NodeJS.WriteStream,
  enabled: boolean,
  signal: AbortSignal,
): JobContext & { end(): void } {
  const started = Date.now();
  let last = 0;
  let drawn = false;
  const draw = (phase: string, done: number, total: number) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const elapsed = (now - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const eta = rate > 0 && total > done ? ` ETA ${Math.ceil((total - done) / rate)}s` : '';
    const line = `${label} ${phase} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${Math.round(frac * 100)}%${rate ? ` ${rate.toFixed(1)}/s` : ''}${eta}`;
    stream.write(`\r${line.slice(0, (stream.columns || 100) - 1)}\x1b[K`);
    drawn = true;
  };
  return {
    signal,
    progress: enabled ? draw : () => {},
    end: () => {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
