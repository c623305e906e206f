import proj4 from 'proj4';
import { AppError } from '../../shared/errors';
import { readChunk } from '../field/field-chunks';
import type { Field } from '../field/field-types';
import type { QueryScene } from './query-engine';

/** The patch (row, col) of a field under a WGS84 point, or null when outside its grid. */
export function cellAt(field: Field, lon: number, lat: number): { r: number; c: number } | null {
  const { geoTransform: gt, crs, rows, cols } = field.meta;
  const [x, y] = proj4('EPSG:4326', crs.proj4).forward([lon, lat]);
  const [a, b, c, d, e, f] = gt;
  const det = b * f - c * e;
  const col = Math.floor((f * (x - a) - c * (y - d)) / det);
  const row = Math.floor((-e * (x - a) + b * (y - d)) / det);
  return row >= 0 && col >= 0 && row < rows && col < cols ? { r: row, c: col } : null;
}

/** The stored (unit) vector of one patch, or null when it has no data. float32[dim] */
export async function patchVector(
  field: Field,
  r: number,
  c: number,
  signal?: AbortSignal,
): Promise<Float32Array | null> {
  const cs = field.meta.chunkSize;
  const chunk = await readChunk(field, Math.floor(r / cs), Math.floor(c / cs), signal);
  if (!chunk) return null;
  const k = (r % cs) * chunk.w + (c % cs);
  if (!chunk.valid[k]) return null;
  return chunk.data.slice(k * field.meta.dim, (k + 1) * field.meta.dim);
}

/**
 * Query-by-example vector: mean of the positive patches' vectors minus the mean of the negatives
 * (when any), L2-normalised. float32[dim]
 */
export async function exampleVector(
  scenes: QueryScene[],
  points: { lon: number; lat: number; label: 0 | 1 }[],
  signal?: AbortSignal,
): Promise<Float32Array> {
  const dim = scenes[0].field.meta.dim;
  const pos = new Float64Array(dim);
  const neg = new Float64Array(dim);
  let np = 0;
  let nn = 0;
  for (const p of points) {
    let v: Float32Array | null = null;
    for (const s of scenes) {
      const cell = cellAt(s.field, p.lon, p.lat);
      if (cell && (v = await patchVector(s.field, cell.r, cell.c, signal))) break;
    }
    if (!v)
      throw new AppError(
        'INVALID_INPUT',
        `example point [${p.lon}, ${p.lat}] is not on an indexed patch with data`,
      );
    const acc = p.label === 1 ? pos : neg;
    for (let d = 0; d < dim; d++) acc[d] += v[d];
    if (p.label === 1) np++;
    else nn++;
  }
  if (np === 0)
    throw new AppError('INVALID_INPUT', 'query by example needs at least one positive point (label 1)');
  const q = new Float32Array(dim);
  let ss = 0;
  for (let d = 0; d < dim; d++) {
    q[d] = pos[d] / np - (nn ? neg[d] / nn : 0);
    ss += q[d] * q[d];
  }
  if (!(ss > 0))
    throw new AppError('INVALID_INPUT', 'the positive and negative examples cancel out: pick other patches');
  const inv = 1 / Math.sqrt(ss);
  for (let d = 0; d < dim; d++) q[d] *= inv;
  return q;
}
