import { PROFILES } from './profiles';
import type { Scene, StretchInfo } from './scene';

/** Pixels read for statistics: the long side of the overview window. */
const STATS_SIZE = 512;
/** Above this many level pixels, statistics come from a grid of small windows instead. */
const MAX_STATS_PIXELS = 4_000_000;

/** Percentile `p` (0–100) of sorted values, linear between ranks. */
export function percentile(sorted: Float32Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const r = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(r);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (r - lo);
}

/**
 * Per-band display range. 'percentile' profiles: the 2nd–98th percentiles of valid pixels of a
 * small overview (or of 64 scattered 64×64 windows when the raster has no overview small enough,
 * so a huge file without overviews still opens fast). Generic 8-bit RGB is shown as stored (0–255).
 * Sentinel-2 shares one range across its visible bands.
 */
export async function computeStretch(scene: Scene, signal?: AbortSignal): Promise<StretchInfo> {
  const is8 = scene.bandRefs.every((b) => b.dataType === 'uint8');
  const method =
    PROFILES[scene.profile].stretch === 'identity8' || (scene.profile === 'rgb' && is8)
      ? 'identity8'
      : 'percentile';
  const names = scene.bandRefs.map((b) => b.name);
  if (method === 'identity8') {
    return { method, percentiles: [0, 100], bands: Object.fromEntries(names.map((n) => [n, [0, 255]])) };
  }
  const samples = await statsSample(scene, signal);
  const bands: Record<string, [number, number]> = {};
  names.forEach((n, b) => {
    const vals = samples.data[b].filter((_, i) => samples.valid[i] === 1).sort();
    let lo = percentile(vals, 2);
    let hi = percentile(vals, 98);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
    if (hi <= lo) hi = lo + (Math.abs(lo) > 1 ? 1 : 1e-4);
    bands[n] = [lo, hi];
  });
  // Reflectance is comparable across bands: one shared range for R, G and B keeps the colour
  // balance (a desert stays orange), where independent ranges would pull every band to grey.
  const visible = ['R', 'G', 'B'].filter((n) => bands[n]);
  if (scene.profile === 'sentinel2-l2a' && visible.length === 3) {
    const lo = Math.min(...visible.map((n) => bands[n]![0]));
    const hi = Math.max(...visible.map((n) => bands[n]![1]));
    for (const n of visible) bands[n] = [lo, hi];
  }
  return { method, percentiles: [2, 98], bands };
}

async function statsSample(
  scene: Scene,
  signal?: AbortSignal,
): Promise<{ data: Float32Array[]; valid: Uint8Array }> {
  const long = Math.max(scene.width, scene.height);
  const factor = Math.max(1, long / STATS_SIZE);
  const level = scene.levelForFactor(factor);
  const lv = scene.levels[level];
  if (lv.width * lv.height <= MAX_STATS_PIXELS) {
    const outW = Math.max(1, Math.round(scene.width / factor));
    const outH = Math.max(1, Math.round(scene.height / factor));
    return scene.readWindow(
      { x: 0, y: 0, width: scene.width, height: scene.height },
      { outWidth: outW, outHeight: outH },
      signal,
    );
  }
  const parts: { data: Float32Array[]; valid: Uint8Array }[] = [];
  const k = 8;
  const win = 64;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) {
      const x = Math.floor(((i + 0.5) * scene.width) / k - win / 2);
      const y = Math.floor(((j + 0.5) * scene.height) / k - win / 2);
      parts.push(await scene.readWindow({ x, y, width: win, height: win }, {}, signal));
    }
  }
  const n = parts.length * win * win;
  const data = scene.bandRefs.map(() => new Float32Array(n));
  const valid = new Uint8Array(n);
  parts.forEach((p, pi) => {
    p.data.forEach((d, b) => data[b].set(d, pi * win * win));
    valid.set(p.valid, pi * win * win);
  });
  return { data, valid };
}
