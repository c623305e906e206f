import { rampGradient } from './score-ramp';

export interface ScoreLegendProps {
  /** Lowest score of the result. */
  min: number;
  /** Score at the ramp's low end (the median, or the threshold when that is lower). */
  rampMin: number;
  max: number;
  threshold: number;
}

/**
 * Ramp legend in score units (cosine similarity): the ramp runs from the median to the max so
 * the best scores spread over its colours; the threshold is a tick on it, the result's min is
 * stated below.
 */
export function ScoreLegend({ min, rampMin, max, threshold }: ScoreLegendProps) {
  const at = max > rampMin ? Math.min(100, Math.max(0, ((threshold - rampMin) / (max - rampMin)) * 100)) : 0;
  return (
    <div
      className="score-legend"
      data-testid="score-legend"
      aria-label={`Score legend from ${rampMin.toFixed(3)} to ${max.toFixed(3)}, threshold ${threshold.toFixed(3)}`}
    >
      <div className="ramp" style={{ background: rampGradient() }}>
        <div className="ramp-mask" style={{ width: `${at}%` }} title="below the threshold: drawn faint" />
        <div className="ramp-tick" style={{ left: `${at}%` }} />
      </div>
      <div className="ramp-labels">
        <span data-testid="legend-ramp-min">{rampMin.toFixed(3)}</span>
        <span data-testid="legend-max">{max.toFixed(3)}</span>
      </div>
      <div className="muted small">
        solid at score ≥ <strong data-testid="legend-threshold">{threshold.toFixed(3)}</strong>, faint below ·
        lowest <span data-testid="legend-min">{min.toFixed(3)}</span>
      </div>
    </div>
  );
}
