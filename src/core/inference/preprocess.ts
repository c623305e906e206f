import { AppError } from '../../shared/errors';
import type { PackManifest } from '../packs/manifest';

/** One image window: a plane per band in physical units (NAIP DN 0..255, S2 reflectance 0..1). */
export interface Chip {
  width: number;
  height: number;
  /** Band name (R, G, B, NIR, …) → float32[height*width], row-major. */
  bands: Record<string, ArrayLike<number>>;
}

/** Bands the starter pack can live without: fed as pixel_range lo (documented in its README). */
const OPTIONAL_BANDS = new Set(['NIR']);

/**
 * Bilinear resize of one plane with PyTorch's `F.interpolate(mode='bilinear', align_corners=False,
 * antialias=False)` sampling: src = (dst + 0.5) * in/out - 0.5, clamped to the edges.
 * src: float32[h*w] → float32[oh*ow].
 */
export function resizeBilinear(
  src: ArrayLike<number>,
  h: number,
  w: number,
  oh: number,
  ow: number,
): Float32Array {
  const out = new Float32Array(oh * ow);
  const sy = h / oh;
  const sx = w / ow;
  for (let y = 0; y < oh; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(Math.floor(fy), h - 1);
    const y1 = Math.min(y0 + 1, h - 1);
    const ly = fy - y0;
    for (let x = 0; x < ow; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(Math.floor(fx), w - 1);
      const x1 = Math.min(x0 + 1, w - 1);
      const lx = fx - x0;
      const top = src[y0 * w + x0] * (1 - lx) + src[y0 * w + x1] * lx;
      const bot = src[y1 * w + x0] * (1 - lx) + src[y1 * w + x1] * lx;
      out[y * ow + x] = top * (1 - ly) + bot * ly;
    }
  }
  return out;
}

/** A chip's band plane in pack units 0..1: clamp((v - lo)/(hi - lo), 0, 1); a missing optional band is 0. */
export function unitPlane(
  chip: Chip,
  band: string,
  range: readonly [number, number],
  packId: string,
): Float32Array {
  const n = chip.width * chip.height;
  const src = chip.bands[band];
  const out = new Float32Array(n);
  if (!src) {
    if (OPTIONAL_BANDS.has(band)) return out;
    throw new AppError(
      'INVALID_INPUT',
      `chip has bands ${Object.keys(chip.bands).join(',')} but pack ${packId} needs ${band}`,
    );
  }
  if (src.length !== n)
    throw new AppError(
      'INVALID_INPUT',
      `chip band ${band} has ${src.length} values, expected ${chip.width}x${chip.height}`,
    );
  const [lo, hi] = range;
  const k = 1 / (hi - lo);
  for (let i = 0; i < n; i++) {
    const x = (src[i] - lo) * k;
    out[i] = x > 0 ? (x < 1 ? x : 1) : 0; // NaN (unmasked nodata) becomes 0
  }
  return out;
}

/**
 * Chips → pixel_values float32[N,C,S,S] per the manifest: x = clamp((v-lo)/(hi-lo),0,1),
 * resized to input.size (bilinear) when the chip is another size, then (x - mean[c]) / std[c].
 * Channels follow manifest.bands.
 */
export function chipsToPixelValues(m: PackManifest, chips: readonly Chip[]): Float32Array {
  const S = m.input.size;
  const C = m.bands.length;
  const plane = S * S;
  const out = new Float32Array(chips.length * C * plane);
  chips.forEach((chip, b) => {
    m.bands.forEach((band, c) => {
      let p = unitPlane(chip, band, m.input.pixel_range, m.id);
      if (chip.width !== S || chip.height !== S) p = resizeBilinear(p, chip.height, chip.width, S, S);
      const mean = m.input.mean[c];
      const inv = 1 / m.input.std[c];
      const o = (b * C + c) * plane;
      for (let i = 0; i < plane; i++) out[o + i] = (p[i] - mean) * inv;
    });
  });
  return out;
}
