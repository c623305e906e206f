import { throwIfAborted } from '../../shared/abort';
import { atomicWriteFile } from '../util/atomic-write';
import { checkedGeometry } from './check-geometry';
import type { ExportFeature, FieldValue } from './export-types';

const jsonValue = (v: FieldValue): string | number | boolean | null =>
  v instanceof Date ? v.toISOString() : typeof v === 'number' && !Number.isFinite(v) ? null : v;

/**
 * Writes an RFC 7946 GeoJSON FeatureCollection (WGS84 lon/lat, no `crs` member, one feature
 * per line) atomically. Geometries are checked and re-wound if needed; Dates become ISO
 * strings; non-finite numbers become null (JSON has no NaN).
 * @throws AppError('INVALID_INPUT') for a bad geometry, AppError('IO') if `path` cannot be
 *   written (any earlier file at `path` is left untouched, no partial file remains).
 */
export async function writeGeoJson(
  path: string,
  features: ExportFeature[],
  signal?: AbortSignal,
): Promise<void> {
  const lines: string[] = [];
  features.forEach((f, i) => {
    if (i % 1000 === 0) throwIfAborted(signal);
    const properties: Record<string, string | number | boolean | null> = {};
    for (const [k, v] of Object.entries(f.properties ?? {})) properties[k] = jsonValue(v);
    const out: Record<string, unknown> = { type: 'Feature' };
    if (f.id !== undefined) out.id = f.id;
    out.geometry = checkedGeometry(f.geometry, `${path} feature ${i}`);
    out.properties = properties;
    lines.push(JSON.stringify(out));
  });
  const text = `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
  await atomicWriteFile(path, text, {}, signal);
}
