import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import type { RoiGeometry } from '../../shared/contract/search';
import type { Engine } from '../../engine/engine-client';
import type { PixelWindow, Scene } from '../imagery/scene';
import type { Pack } from '../packs/manifest';
import type { PackSource } from '../packs/pack-registry';
import { roiToGridMask } from '../detect/roi-mask';

/** CLIP's learned logit scale (exp(4.6052) = 100): softmax over 100 × cosine. */
export const LOGIT_SCALE = 100;
/** More chips than this are subsampled evenly (an ROI's class is a mean; it needs no full coverage). */
export const MAX_CHIPS = 256;

export interface ClassifyResult {
  packId: string;
  chips: number;
  labels: { label: string; score: number; probability: number }[];
}

function normalise(v: Float32Array, off: number, dim: number): Float32Array {
  let ss = 0;
  for (let d = 0; d < dim; d++) ss += v[off + d] ** 2;
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  return Float32Array.from({ length: dim }, (_, d) => v[off + d] * inv);
}

/**
 * The one window for an ROI smaller than a chip, centred on the ROI's bounding box. A learned
 * pack sees a whole chip (its training GSD and context); the starter pack's features are
 * scale-free band statistics, so it reads just the ROI's bounding square (at least one patch),
 * which describes what is inside the ROI rather than the chip around it.
 */
function subChipWindow(
  polys: [number, number][][][],
  chipPx: number,
  scaleFree: boolean,
  scene: Scene,
): PixelWindow {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const rings of polys)
    for (const [x, y] of rings[0]) {
      x0 = Math.min(x0, x * chipPx);
      y0 = Math.min(y0, y * chipPx);
      x1 = Math.max(x1, x * chipPx);
      y1 = Math.max(y1, y * chipPx);
    }
  if (x1 <= 0 || y1 <= 0 || x0 >= scene.width || y0 >= scene.height)
    throw new AppError('INVALID_INPUT', `the ROI does not intersect ${scene.name}`);
  const side = scaleFree ? Math.max(x1 - x0, y1 - y0, 16) : chipPx;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

/**
 * Zero-shot classification of an ROI with an image-level pack: chips (at the pack's GSD; the
 * scene's own for starter packs) whose centre lies in the ROI are encoded, their unit image
 * embeddings averaged, and compared with each label's unit text embedding; probabilities are
 * softmax(LOGIT_SCALE · cosine), as CLIP's zero-shot classifier does.
 */
export async function classifyRoi(
  scene: Scene,
  pack: Pack & { source?: PackSource },
  roi: RoiGeometry,
  labels: string[],
  engine: Engine,
  signal?: AbortSignal,
): Promise<ClassifyResult> {
  const m = pack.manifest;
  if (!m.roles.image_encoder || !m.roles.text_encoder)
    throw new AppError(
      'UNSUPPORTED',
      `pack ${m.id} needs an image encoder and a text encoder to classify (it has: ${Object.keys(m.roles).join(', ')})`,
    );
  const res = Math.sqrt(scene.resolutionM[0] * scene.resolutionM[1]);
  const gsd = pack.source === 'starter' ? res : m.gsd_m;
  const chipPx = (m.input.size * gsd) / res;
  const rows = Math.ceil(scene.height / chipPx);
  const cols = Math.ceil(scene.width / chipPx);
  const polys = (roi.type === 'Polygon' ? [roi.coordinates] : roi.coordinates).map((rings) =>
    rings.map((ring) =>
      ring.map(([lon, lat]) => {
        const [px, py] = scene.fromWgs84(lon, lat);
        return [px / chipPx, py / chipPx] as [number, number];
      }),
    ),
  );
  const mask = roiToGridMask(polys, rows, cols);
  // Pixel windows to encode: the grid chips whose centre lies in the ROI.
  let windows: PixelWindow[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const r = Math.floor(i / cols);
    windows.push({ x: (i - r * cols) * chipPx, y: r * chipPx, width: chipPx, height: chipPx });
  }
  if (windows.length === 0) windows = [subChipWindow(polys, chipPx, pack.source === 'starter', scene)];
  if (windows.length > MAX_CHIPS)
    windows = Array.from(
      { length: MAX_CHIPS },
      (_, k) => windows[Math.floor((k * windows.length) / MAX_CHIPS)],
    );
  const bands = m.bands.filter((b) => scene.bands.some((s) => s.name === b));
  const S = m.input.size;
  const plane = S * S * bands.length;
  const dim = m.embed_dim;
  const mean = new Float64Array(dim);
  let used = 0;
  for (let i = 0; i < windows.length; i += 16) {
    throwIfAborted(signal);
    const part = windows.slice(i, i + 16);
    const wins = await Promise.all(
      part.map((w) =>
        scene.readWindow(w, { bands, outWidth: S, outHeight: S, resample: 'bilinear' }, signal),
      ),
    );
    const keep = wins.filter((w) => w.valid.reduce((a, b) => a + b, 0) >= w.valid.length / 2);
    if (keep.length === 0) continue;
    const pixels = new Float32Array(keep.length * plane);
    keep.forEach((w, k) => w.data.forEach((d, b) => pixels.set(d, k * plane + b * S * S)));
    const enc = await engine.request(
      'engine.encodeImages',
      { packId: m.id, packDir: pack.dir, pixels, bands, n: keep.length, height: S, width: S },
      { signal },
    );
    for (let k = 0; k < keep.length; k++) {
      const u = normalise(enc.embeds, k * dim, dim);
      for (let d = 0; d < dim; d++) mean[d] += u[d];
    }
    used += keep.length;
  }
  if (used === 0) throw new AppError('INVALID_INPUT', `the ROI covers only nodata in ${scene.name}`);
  const img = normalise(Float32Array.from(mean), 0, dim);
  const txt = await engine.request(
    'engine.encodeText',
    { packId: m.id, packDir: pack.dir, texts: labels },
    { signal },
  );
  const scores = labels.map((_, k) => {
    const t = normalise(txt.embeds, k * dim, dim);
    let s = 0;
    for (let d = 0; d < dim; d++) s += t[d] * img[d];
    return s;
  });
  const mx = Math.max(...scores);
  const ex = scores.map((s) => Math.exp(LOGIT_SCALE * (s - mx)));
  const z = ex.reduce((a, b) => a + b, 0);
  return {
    packId: m.id,
    chips: used,
    labels: labels
      .map((label, k) => ({ label, score: scores[k], probability: ex[k] / z }))
      .sort((a, b) => b.score - a.score),
  };
}
