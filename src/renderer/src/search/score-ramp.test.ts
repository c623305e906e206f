import { describe, expect, it } from 'vitest';
import { RAMP_STOPS, colourScores, rampColour } from './score-ramp';

describe('colourScores', () => {
  it('maps min/max to the ramp ends, hides NaN and dims scores below the threshold', () => {
    const scores = Float32Array.from([0.1, 0.5, NaN, 0.3]);
    const px = colourScores(scores, { min: 0.1, max: 0.5, threshold: 0.3, belowAlpha: 40 });
    // The lowest score is fully faded out; a below-threshold score halfway up gets half of belowAlpha.
    expect([...px.slice(0, 4)]).toEqual([...RAMP_STOPS[0]!, 0]);
    const half = colourScores(Float32Array.from([0.3]), {
      min: 0.1,
      max: 0.5,
      threshold: 0.4,
      belowAlpha: 100,
    });
    expect(half[3]).toBe(50);
    expect([...px.slice(4, 8)]).toEqual([...RAMP_STOPS[RAMP_STOPS.length - 1]!, 255]);
    expect(px[11]).toBe(0);
    // 0.3 is the middle of [0.1, 0.5]: the middle stop (the LUT rounds 127.5 to 128 of 255).
    expect(px[15]).toBe(255);
    const mid = rampColour(128 / 255);
    expect([...px.slice(12, 15)]).toEqual(mid);
  });

  it('re-colours the same scores for a new threshold without touching them', () => {
    const scores = Float32Array.from([0.2, 0.4]);
    const copy = Float32Array.from(scores);
    const a = colourScores(scores, { min: 0, max: 1, threshold: 0.3 });
    const b = colourScores(scores, { min: 0, max: 1, threshold: 0.1 });
    expect(a[3]).toBe(0);
    expect(b[3]).toBe(255);
    expect(scores).toEqual(copy);
  });
});
