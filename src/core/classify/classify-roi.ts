import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import type { RoiGeometry } from '../../shared/contract/search';
import type { Engine } from '../../engine/engine-client';
import type { Scene } from '../imagery/scene';
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
    throw new AppError('UNSUPPORTED', `pack ${m.id} needs an image encoder and a text encoder to classify (it has: ${Object.keys(m.roles).join(', ')})`);
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
  let cells: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) cells.push(i);
  if (cells.length === 0) {
    // An ROI smaller than a chip: the chip under its first vertex, when inside the scene.
    const [x, y] = polys[0][0][0];
    if (x >= 0 && y >= 0 && x < cols && y < rows) cells = [Math.floor(y) * cols + Math.floor(x)];
    else throw new AppError('INVALID_INPUT', `the ROI does not intersect ${scene.name}`);
  }
  if (cells.length > MAX_CHIPS) cells = Array.from({ length: MAX_CHIPS }, (_, k) => cells[Math.floor((k * cells.length) / MAX_CHIPS)]);
  const bands = m.bands.filter((b) => scene.bands.some((s) => s.name === b));
  const S = m.input.size;
  const plane = S * S * bands.length;
  const dim = m.embed_dim;
  const mean = new Float64Array(dim);
  let used = 0;
  for (let i = 0; i < cells.length; i += 16) {
    throwIfAborted(signal);
    const part = cells.slice(i, i + 16);
    const wins = await Promise.all(
      part.map((cell) => {
        const r = Math.floor(cell / cols);
        const c = cell - r * cols;
        return scene.readWindow({ x: c * chipPx, y: r * chipPx, width: chipPx, height: chipPx }, { bands, outWidth: S, outHeight: S, resample: 'bilinear' }, signal);
      }),
    );
    const keep = wins.filter((w) => w.valid.reduce((a, b) => a + b, 0) >= w.valid.length / 2);
    if (keep.length === 0) continue;
    const pixels = new Float32Array(keep.length * plane);
    keep.forEach((w, k) => w.data.forEach((d, b) => pixels.set(d, k * plane + b * S * S)));
    const enc = await engine.request('engine.encodeImages', { packId: m.id, packDir: pack.dir, pixels, bands, n: keep.length, height: S, width: S }, { signal });
    for (let k = 0; k < keep.length; k++) {
      const u = normalise(enc.embeds, k * dim, dim);
      for (let d = 0; d < dim; d++) mean[d] += u[d];
    }
    used += keep.length;
  }
  if (used === 0) throw new AppError('INVALID_INPUT', `the ROI covers only nodata in ${scene.name}`);
  const img = normalise(Float32Array.from(mean), 0, dim);
  const txt = await engine.request('engine.encodeText', { packId: m.id, packDir: pack.dir, texts: labels }, { signal });
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
    labels: labels.map((label, k) => ({ label, score: scores[k], probability: ex[k] / z })).sort((a, b) => b.score - a.score),
  };
}
