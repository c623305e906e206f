import { AppError } from '../../shared/errors';

/** Normalised, smoothed bands and an edge map for region growing. */
export interface SpectralFeatures {
  /** Per band: z-scores ((v - mean) / std over the raster), not smoothed; float32[height*width]. */
  raw: Float32Array[];
  /** Per band: z-scores ((v - mean) / std over the raster), 3x3 box-smoothed; float32[height*width]. */
  bands: Float32Array[];
  /** Sobel gradient magnitude of `bands`, scaled so a clean unit step reads about 1; float32[height*width]. */
  gradient: Float32Array;
  /** Robust per-pixel noise of the smoothed features, Euclidean over bands (z units). */
  noise: number;
}

/**
 * Builds the feature space region growing works in: per-band z-scores so that bands with
 * different ranges weigh the same, a 3x3 mean to damp pixel noise, and a Sobel edge map.
 * NaN pixels (nodata) become 0 (the band mean).
 * @param bands float32[height*width] each, any units.
 */
export function spectralFeatures(bands: Float32Array[], width: number, height: number): SpectralFeatures {
  const n = width * height;
  if (bands.length === 0) throw new AppError('INVALID_INPUT', 'regionGrow: no bands');
  bands.forEach((b, i) => {
    if (b.length !== n)
      throw new AppError(
        'INVALID_INPUT',
        `regionGrow: band ${i} has ${b.length} values for ${width}x${height}`,
      );
  });
  const out: Float32Array[] = [];
  const raw: Float32Array[] = [];
  const gradient = new Float32Array(n);
  let noise2 = 0;
  for (const band of bands) {
    let sum = 0;
    let sum2 = 0;
    let cnt = 0;
    for (let i = 0; i < n; i++) {
      const v = band[i];
      if (Number.isNaN(v)) continue;
      sum += v;
      sum2 += v * v;
      cnt++;
    }
    const mean = cnt > 0 ? sum / cnt : 0;
    const std = cnt > 0 ? Math.sqrt(Math.max(sum2 / cnt - mean * mean, 0)) : 0;
    const inv = std > 0 ? 1 / std : 1;
    const z = new Float32Array(n);
    for (let i = 0; i < n; i++) z[i] = Number.isNaN(band[i]) ? 0 : (band[i] - mean) * inv;
    // Robust noise: MAD of horizontal neighbour differences (edges are rare, so the median ignores them).
    const diffs = new Float32Array(Math.max(0, n - height));
    let k = 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x + 1 < width; x++) diffs[k++] = Math.abs(z[y * width + x + 1] - z[y * width + x]);
    diffs.sort();
    const mad = diffs.length ? diffs[diffs.length >> 1] : 0;
    const sigma = (1.4826 * mad) / Math.SQRT2;
    noise2 += (sigma / 3) ** 2; // a 3x3 mean divides iid noise std by 3
    raw.push(z);
    out.push(boxSmooth3(z, width, height));
  }
  for (const s of out) {
    for (let y = 0; y < height; y++) {
      const y0 = Math.max(0, y - 1);
      const y1 = Math.min(height - 1, y + 1);
      for (let x = 0; x < width; x++) {
        const x0 = Math.max(0, x - 1);
        const x1 = Math.min(width - 1, x + 1);
        const a = s[y0 * width + x0],
          b = s[y0 * width + x],
          c = s[y0 * width + x1];
        const d = s[y * width + x0],
          f = s[y * width + x1];
        const g = s[y1 * width + x0],
          h = s[y1 * width + x],
          i = s[y1 * width + x1];
        const gx = c + 2 * f + i - (a + 2 * d + g);
        const gy = g + 2 * h + i - (a + 2 * b + c);
        // A unit step gives |G| = 4 on raw data, about 8/3 after the 3x3 mean: scale to read ~1.
        gradient[y * width + x] += ((gx * gx + gy * gy) * 9) / 64;
      }
    }
  }
  for (let i = 0; i < n; i++) gradient[i] = Math.sqrt(gradient[i]);
  return { raw, bands: out, gradient, noise: Math.sqrt(noise2) };
}

/** 3x3 mean with edge pixels averaging only what exists. */
function boxSmooth3(src: Float32Array, width: number, height: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const dst = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      let c = 0;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= width) continue;
        s += src[y * width + xx];
        c++;
      }
      tmp[y * width + x] = s / c;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      let c = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        s += tmp[yy * width + x];
        c++;
      }
      dst[y * width + x] = s / c;
    }
  }
  return dst;
}
