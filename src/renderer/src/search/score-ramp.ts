/** Colour ramp of the heatmap: dark purple → red → yellow (magma-like), sampled at 5 stops. */
export const RAMP_STOPS: [number, number, number][] = [
  [40, 11, 84],
  [101, 21, 110],
  [187, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

/** RGB of t in [0, 1] on the ramp (linear between stops). */
export function rampColour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP_STOPS.length - 1);
  const i = Math.min(RAMP_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP_STOPS[i]!;
  const b = RAMP_STOPS[i + 1]!;
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

/** CSS linear-gradient of the ramp, for the legend. */
export function rampGradient(): string {
  return `linear-gradient(to right, ${RAMP_STOPS.map((c, i) => `rgb(${c.join(',')}) ${(i / (RAMP_STOPS.length - 1)) * 100}%`).join(', ')})`;
}

export interface RampRange {
  /** Score at the ramp's low end (cosine similarity units). */
  min: number;
  /** Score at the ramp's high end. */
  max: number;
  /** Scores at or above it are drawn opaque, below it faint (see belowAlpha). */
  threshold: number;
  /** Alpha 0..255 of a below-threshold patch at the top of the ramp; lower scores fade linearly to 0 (0 hides them all). */
  belowAlpha?: number;
}

/**
 * Colours a patch grid's scores into RGBA pixels, one pixel per patch, row-major like the
 * scores. NaN (no data, not indexed, outside the ROI) is transparent.
 * scores: float32[rows*cols] → rgba: uint8[rows*cols*4]
 */
export function colourScores(
  scores: Float32Array,
  range: RampRange,
  out = new Uint8ClampedArray(scores.length * 4),
): Uint8ClampedArray {
  const span = range.max - range.min;
  const inv = span > 0 ? 1 / span : 0;
  const below = range.belowAlpha ?? 0;
  // A 256-entry table: the ramp is evaluated once, not per patch.
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(rampColour(i / 255), i * 3);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    const o = i * 4;
    if (Number.isNaN(s)) {
      out[o + 3] = 0;
      continue;
    }
    const i8 = Math.max(0, Math.min(255, Math.round((s - range.min) * inv * 255)));
    const k = i8 * 3;
    out[o] = lut[k]!;
    out[o + 1] = lut[k + 1]!;
    out[o + 2] = lut[k + 2]!;
    // Below the threshold a faint wash that grows with the score keeps the context readable.
    out[o + 3] = s >= range.threshold ? 255 : Math.round((below * i8) / 255);
  }
  return out;
}
