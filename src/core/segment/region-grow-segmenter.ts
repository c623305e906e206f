import { throwIfAborted } from '../../shared/abort';
import { regionGrow, type RegionGrowOptions, type RegionSeed } from '../vector/region-grow';
import { EmbeddingCache } from './embedding-cache';
import type { InstancePrompt, Segmenter, WindowImage, WindowMask, WindowResult } from './segment-types';

/** Side of the first crop region growing looks at around a seed; doubled while the object reaches its edge. */
const FIRST_CROP_PX = 192;

/** Bbox of the 1s of a mask uint8[h*w], half-open, or null. */
function maskBbox(mask: Uint8Array, w: number, h: number): [number, number, number, number] | null {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  return x1 < 0 ? null : [x0, y0, x1 + 1, y1 + 1];
}

/**
 * The pixel within `radius` of (x, y) whose 3x3 neighbourhood varies least (summed band
 * variance): a seed inside an object rather than on its shore or on a field boundary.
 */
function snapSeed(
  img: WindowImage,
  bands: Float32Array[],
  x: number,
  y: number,
  radius: number,
): [number, number] {
  const { width: W, height: H } = img.window;
  const r = Math.floor(radius);
  if (r <= 0) return [x, y];
  let best: [number, number] = [x, y];
  let bestVar = Infinity;
  for (let yy = Math.max(1, y - r); yy <= Math.min(H - 2, y + r); yy++)
    for (let xx = Math.max(1, x - r); xx <= Math.min(W - 2, x + r); xx++) {
      if (!img.valid[yy * W + xx]) continue;
      let v = 0;
      for (const b of bands) {
        let s = 0;
        let s2 = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const q = b[(yy + dy) * W + xx + dx];
            s += q;
            s2 += q * q;
          }
        v += s2 / 9 - (s / 9) ** 2;
      }
      // Ties (and NaN neighbourhoods) keep the pixel nearest the original point.
      const d = (xx - x) ** 2 + (yy - y) ** 2;
      if (
        v < bestVar - 1e-9 ||
        (Math.abs(v - bestVar) <= 1e-9 && d < (best[0] - x) ** 2 + (best[1] - y) ** 2)
      ) {
        bestVar = v;
        best = [xx, yy];
      }
    }
  return best;
}

/**
 * Region growing of one prompt in a crop around its positive point (the spectral statistics
 * and the noise estimate are taken over the crop, so the tolerance adapts to the local scene).
 * The crop doubles while the region touches a crop edge that is not the window's edge.
 */
function growPrompt(
  img: WindowImage,
  bands: Float32Array[],
  p: InstancePrompt,
  opts: RegionGrowOptions,
): WindowMask {
  const { width: W, height: H } = img.window;
  const [sx, sy] = snapSeed(
    img,
    bands,
    Math.min(W - 1, Math.max(0, Math.floor(p.positive.x))),
    Math.min(H - 1, Math.max(0, Math.floor(p.positive.y))),
    p.snapPx ?? 0,
  );
  // A seed on nodata (or outside the raster in a padded window) is no object.
  if (!img.valid[sy * W + sx]) return { promptId: p.id, bbox: null, mask: new Uint8Array(0), samIou: null };
  for (let side = FIRST_CROP_PX; ; side *= 2) {
    const cw = Math.min(W, side);
    const ch = Math.min(H, side);
    const cx = Math.max(0, Math.min(W - cw, sx - (cw >> 1)));
    const cy = Math.max(0, Math.min(H - ch, sy - (ch >> 1)));
    const crop = bands.map((b) => {
      const out = new Float32Array(cw * ch);
      for (let y = 0; y < ch; y++) out.set(b.subarray((y + cy) * W + cx, (y + cy) * W + cx + cw), y * cw);
      return out;
    });
    const seeds: RegionSeed[] = [{ x: sx - cx, y: sy - cy, label: 1 }];
    for (const n of p.negatives) {
      const nx = Math.floor(n.x) - cx;
      const ny = Math.floor(n.y) - cy;
      if (nx >= 0 && ny >= 0 && nx < cw && ny < ch) seeds.push({ x: nx, y: ny, label: 0 });
    }
    const m = regionGrow(crop, cw, ch, seeds, opts);
    // Invalid pixels (outside the raster, nodata) never belong to an object.
    for (let y = 0; y < ch; y++)
      for (let x = 0; x < cw; x++) if (!img.valid[(y + cy) * W + x + cx]) m[y * cw + x] = 0;
    const bb = maskBbox(m, cw, ch);
    // Growth that hit the crop edge, or the default area cap (a quarter of the crop), saw too little.
    let area = 0;
    for (let i = 0; i < m.length; i++) area += m[i];
    const capped = opts.maxAreaPx === undefined && area >= 0.9 * Math.ceil((cw * ch) / 4);
    const cut =
      bb !== null &&
      (capped ||
        (bb[0] === 0 && cx > 0) ||
        (bb[1] === 0 && cy > 0) ||
        (bb[2] === cw && cx + cw < W) ||
        (bb[3] === ch && cy + ch < H));
    if (!cut || (cw === W && ch === H)) {
      if (!bb) return { promptId: p.id, bbox: null, mask: new Uint8Array(0), samIou: null };
      const bw = bb[2] - bb[0];
      const bh = bb[3] - bb[1];
      const mask = new Uint8Array(bw * bh);
      for (let y = 0; y < bh; y++)
        mask.set(m.subarray((y + bb[1]) * cw + bb[0], (y + bb[1]) * cw + bb[2]), y * bw);
      return { promptId: p.id, bbox: [bb[0] + cx, bb[1] + cy, bb[2] + cx, bb[3] + cy], mask, samIou: null };
    }
  }
}

/**
 * Window pixels kept between clicks, keyed by WindowImage.key (scene id + window), the
 * region-growing counterpart of the engine's SAM embedding cache: a 1024² window of 4 bands
 * is 17 MiB, so keep capacities small (4).
 */
export type WindowPixelCache = EmbeddingCache<WindowImage>;

/** A window pixel cache of `capacity` windows (LRU). */
export function windowPixelCache(capacity = 4): WindowPixelCache {
  return new EmbeddingCache<WindowImage>(capacity);
}

/**
 * The classical segmenter for hosts without a SAM pack: seeded region growing
 * (src/core/vector/region-grow.ts) on every band of the scene, one prompt at a time, with the
 * prompt's negative points as blocking seeds. Same interface and outputs as the SAM segmenter.
 * @param cache window pixels kept across calls (the host's, so later clicks in a window
 *   skip reading and decoding the raster); without it every call reads its window.
 */
export function regionGrowSegmenter(opts: RegionGrowOptions = {}, cache?: WindowPixelCache): Segmenter {
  return {
    kind: 'region-grow',
    pack: null,
    bands: undefined,
    async segmentWindow(key, image, prompts, signal): Promise<WindowResult> {
      const t0 = performance.now();
      const hit = cache?.get(key);
      const img = hit ?? (await image());
      if (!hit) cache?.set(key, img);
      const readMs = performance.now() - t0;
      const bands = Object.values(img.bands);
      const t1 = performance.now();
      const masks: WindowMask[] = [];
      for (const p of prompts) {
        throwIfAborted(signal);
        masks.push(growPrompt(img, bands, p, opts));
      }
      return { masks, readMs, encodeMs: 0, decodeMs: performance.now() - t1, cached: hit !== undefined };
    },
  };
}
