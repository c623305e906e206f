import { AppError } from '../../shared/errors';
import { fillSmallHoles } from './fill-small-holes';
import { MinHeap } from './min-heap';
import { spectralFeatures, type SpectralFeatures } from './spectral-features';

export interface RegionSeed {
  /** Pixel column and row. */
  x: number;
  y: number;
  /** 1 = grow an object from here; 0 = this is NOT the object (blocks growth). */
  label: 1 | 0;
}

export interface RegionGrowOptions {
  /**
   * Largest Euclidean distance (z-score units over all bands, after the 3x3 mean) between a
   * pixel and the region's running mean for the pixel to join. Default: max(0.5, 6 x the
   * scene's robust noise), i.e. well above noise and below typical land-cover contrasts.
   */
  tolerance?: number;
  /**
   * Edge stop: a pixel whose gradient (a clean step of this height in z units reads about this
   * value) exceeds it may join but does not spread further. Default: 0.8 x tolerance.
   */
  edgeThreshold?: number;
  /** Pixels per positive seed's region before growth stops. Default: a quarter of the raster. */
  maxAreaPx?: number;
  /** Enclosed holes up to this many pixels are filled. Default 64. */
  maxHolePx?: number;
  /** Radius (pixels) blocked around each negative seed. Default 2. */
  negativeRadiusPx?: number;
}

/**
 * Classical seeded region growing (Adams & Bischof 1994) for point-prompted objects when no
 * SAM pack is available. Deterministic: pixels join in order of spectral distance, ties by
 * index; several positive seeds are grown one after another (seed order) and unioned.
 *
 * A pixel joins a seed's region when it is 4-adjacent to it, not blocked, within `tolerance`
 * of the region's running mean, and closer to that mean than to every negative seed's
 * spectrum (competition, so a negative click on a similar neighbour separates the two).
 * Pixels on strong edges join but do not spread (the edge stop). Growth ends at
 * `maxAreaPx`. The 3x3 mean blurs the outermost pixel ring of an object, so two boundary
 * passes then reassign each pixel touching the region on its UNSMOOTHED values: it joins if
 * nearer the region mean than the mean of the non-region pixels around it (5x5). Small
 * enclosed holes are filled last.
 *
 * @param bands float32[height*width] per band, any units (NaN = nodata).
 * @returns mask uint8[height*width], 1 = object.
 */
export function regionGrow(
  bands: Float32Array[],
  width: number,
  height: number,
  seeds: RegionSeed[],
  opts: RegionGrowOptions = {},
): Uint8Array {
  const n = width * height;
  for (const s of seeds)
    if (
      !Number.isInteger(s.x) ||
      !Number.isInteger(s.y) ||
      s.x < 0 ||
      s.y < 0 ||
      s.x >= width ||
      s.y >= height
    )
      throw new AppError(
        'INVALID_INPUT',
        `regionGrow: seed (${s.x}, ${s.y}) is outside the ${width}x${height} raster`,
      );
  const result = new Uint8Array(n);
  if (!seeds.some((s) => s.label === 1)) return result;
  const f = spectralFeatures(bands, width, height);
  const tol = opts.tolerance ?? Math.max(0.5, 6 * f.noise);
  const edgeThr = opts.edgeThreshold ?? 0.8 * tol;
  const maxArea = opts.maxAreaPx ?? Math.ceil(n / 4);
  const maxHole = opts.maxHolePx ?? 64;
  const radius = opts.negativeRadiusPx ?? 2;

  const blocked = new Uint8Array(n);
  const negMeans: Float64Array[] = [];
  for (const s of seeds) {
    if (s.label !== 0) continue;
    negMeans.push(windowMean(f, width, height, s.x, s.y));
    for (let dy = -radius; dy <= radius; dy++)
      for (let dx = -radius; dx <= radius; dx++) {
        const x = s.x + dx;
        const y = s.y + dy;
        if (x >= 0 && y >= 0 && x < width && y < height && dx * dx + dy * dy <= radius * radius)
          blocked[y * width + x] = 1;
      }
  }

  for (const s of seeds) {
    if (s.label !== 1) continue;
    const p0 = s.y * width + s.x;
    if (result[p0] || blocked[p0]) continue;
    const region = growOne(f, width, height, p0, tol, edgeThr, maxArea, blocked, negMeans);
    refineBoundary(f, width, height, region, blocked, 2);
    fillSmallHoles(region, width, height, maxHole, blocked);
    for (let i = 0; i < n; i++) if (region[i]) result[i] = 1;
  }
  return result;
}

function windowMean(f: SpectralFeatures, width: number, height: number, x: number, y: number): Float64Array {
  const m = new Float64Array(f.bands.length);
  let c = 0;
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      const yy = y + dy;
      if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
      f.bands.forEach((b, k) => (m[k] += b[yy * width + xx]));
      c++;
    }
  return m.map((v) => v / c);
}

function dist2(f: SpectralFeatures, p: number, mean: Float64Array): number {
  let d = 0;
  for (let k = 0; k < mean.length; k++) {
    const e = f.bands[k][p] - mean[k];
    d += e * e;
  }
  return d;
}

function growOne(
  f: SpectralFeatures,
  width: number,
  height: number,
  seed: number,
  tol: number,
  edgeThr: number,
  maxArea: number,
  blocked: Uint8Array,
  negMeans: Float64Array[],
): Uint8Array {
  const n = width * height;
  const B = f.bands.length;
  const region = new Uint8Array(n);
  const queued = new Uint8Array(n);
  const sum = new Float64Array(B);
  const mean = new Float64Array(B);
  const tol2 = tol * tol;
  const heap = new MinHeap();
  let area = 0;
  const push = (q: number): void => {
    if (queued[q] || blocked[q]) return;
    queued[q] = 1;
    heap.push(area === 0 ? 0 : dist2(f, q, mean), q);
  };
  push(seed);
  while (heap.size > 0 && area < maxArea) {
    const p = heap.pop();
    if (area > 0) {
      // Re-test against the current mean: it has moved since p was queued.
      const d = dist2(f, p, mean);
      if (d > tol2) continue;
      if (negMeans.some((nm) => dist2(f, p, nm) < d)) continue;
    }
    region[p] = 1;
    area++;
    for (let k = 0; k < B; k++) {
      sum[k] += f.bands[k][p];
      mean[k] = sum[k] / area;
    }
    if (area > 1 && f.gradient[p] > edgeThr) continue; // edge stop: joins, does not spread
    const x = p % width;
    const y = (p - x) / width;
    if (x > 0) push(p - 1);
    if (x + 1 < width) push(p + 1);
    if (y > 0) push(p - width);
    if (y + 1 < height) push(p + width);
  }
  return region;
}

/**
 * Nearest-mean reassignment of pixels 4-adjacent to the region, on unsmoothed z-scores.
 * Each pass only looks at the region as it was when the pass started (deterministic).
 */
function refineBoundary(
  f: SpectralFeatures,
  width: number,
  height: number,
  region: Uint8Array,
  blocked: Uint8Array,
  passes: number,
): void {
  const B = f.raw.length;
  const mean = new Float64Array(B);
  let area = 0;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let p = 0; p < region.length; p++) {
    if (!region[p]) continue;
    area++;
    const px = p % width;
    const py = (p - px) / width;
    x0 = Math.min(x0, px);
    x1 = Math.max(x1, px);
    y0 = Math.min(y0, py);
    y1 = Math.max(y1, py);
    for (let k = 0; k < B; k++) mean[k] += f.raw[k][p];
  }
  if (area === 0) return;
  for (let k = 0; k < B; k++) mean[k] /= area;
  const out = new Float64Array(B);
  for (let pass = 0; pass < passes; pass++) {
    const add: number[] = [];
    // Candidates lie within one pixel of the region's bbox, which grows by one per pass.
    x0 = Math.max(0, x0 - 1);
    y0 = Math.max(0, y0 - 1);
    x1 = Math.min(width - 1, x1 + 1);
    y1 = Math.min(height - 1, y1 + 1);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const p = y * width + x;
        if (region[p] || blocked[p]) continue;
        const touches =
          (x > 0 && region[p - 1]) ||
          (x + 1 < width && region[p + 1]) ||
          (y > 0 && region[p - width]) ||
          (y + 1 < height && region[p + width]);
        if (!touches) continue;
        out.fill(0);
        let c = 0;
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if ((dx === 0 && dy === 0) || xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
            const q = yy * width + xx;
            if (region[q]) continue;
            for (let k = 0; k < B; k++) out[k] += f.raw[k][q];
            c++;
          }
        let dIn = 0;
        let dOut = 0;
        for (let k = 0; k < B; k++) {
          const v = f.raw[k][p];
          dIn += (v - mean[k]) ** 2;
          dOut += c > 0 ? (v - out[k] / c) ** 2 : Infinity;
        }
        if (dIn < dOut) add.push(p);
      }
    }
    if (add.length === 0) break;
    for (const p of add) region[p] = 1;
  }
}
