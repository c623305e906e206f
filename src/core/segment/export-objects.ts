import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ioError } from '../util/atomic-write';
import { AppError } from '../../shared/errors';
import type { ExportFeature } from '../export/export-types';
import { OBJECT_FEATURE_FIELDS } from '../export/export-types';
import { writeCountsCsv, type CsvRow } from '../export/write-counts-csv';
import { writeGeoJson } from '../export/write-geojson';
import { layerNameForQuery, writeGeoPackage } from '../export/write-geopackage';

export type ExportFormat = 'geojson' | 'gpkg' | 'csv';

/** The objects of one query in one region of interest. */
export interface ObjectSet {
  query: string;
  /** ROI name; 'scene' when the whole scene was searched. */
  roi: string;
  sceneId: string;
  features: ExportFeature[];
}

/** The format a path's extension asks for (.geojson/.json, .gpkg, .csv). */
export function formatForPath(file: string): ExportFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  if (ext === '.gpkg') return 'gpkg';
  if (ext === '.csv') return 'csv';
  throw new AppError(
    'INVALID_INPUT',
    `${file}: unknown export format "${ext || '(no extension)'}" (use .geojson, .gpkg or .csv)`,
  );
}

/**
 * Fails early, before any segmentation work, when an output's folder is missing or not
 * writable (the export itself is atomic, so a late failure never leaves a partial file).
 */
export async function assertWritable(files: string[]): Promise<void> {
  for (const f of files) {
    formatForPath(f);
    const dir = path.dirname(path.resolve(f));
    try {
      const st = await fs.stat(dir);
      if (!st.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      await fs.access(dir, fsConstants.W_OK);
    } catch (e) {
      throw ioError(f, e);
    }
    const st = await fs.stat(f).catch(() => null);
    if (st?.isDirectory()) throw ioError(f, Object.assign(new Error('is a folder'), { code: 'EISDIR' }));
  }
}

/** One CSV row per (ROI, query): the number of objects and their total area. */
export function countRows(sets: ObjectSet[]): CsvRow[] {
  return sets.map((s) => ({
    roi: s.roi,
    query: s.query,
    scene_id: s.sceneId,
    count: s.features.length,
    area_m2: Math.round(s.features.reduce((a, f) => a + Number(f.properties.area_m2 ?? 0), 0) * 100) / 100,
    segmenter: [...new Set(s.features.map((f) => String(f.properties.segmenter)))].join('+'),
  }));
}

/**
 * Writes object sets atomically: GeoJSON (every feature, RFC 7946), GeoPackage (one layer per
 * query, typed OBJECT_FEATURE_FIELDS columns) or a CSV of counts per ROI and query. An
 * unwritable path fails with AppError('IO') before anything is lost (no partial file; an
 * earlier file at `file` is left as it was).
 * @returns how many features (CSV: rows) were written
 */
export async function exportObjects(
  file: string,
  format: ExportFormat,
  sets: ObjectSet[],
  signal?: AbortSignal,
): Promise<number> {
  if (format === 'geojson') {
    const all = sets.flatMap((s) => s.features);
    await writeGeoJson(
      file,
      all.map((f, i) => ({ ...f, id: i + 1 })),
      signal,
    );
    return all.length;
  }
  if (format === 'gpkg') {
    const byLayer = new Map<string, ExportFeature[]>();
    for (const s of sets) {
      const name = layerNameForQuery(s.query);
      byLayer.set(name, [...(byLayer.get(name) ?? []), ...s.features]);
    }
    if (byLayer.size === 0) byLayer.set('objects', []);
    await writeGeoPackage(
      file,
      [...byLayer].map(([name, features]) => ({
        name,
        features,
        fields: OBJECT_FEATURE_FIELDS,
        description: `GRAFT Workbench objects: ${name}`,
      })),
      signal,
    );
    return [...byLayer.values()].reduce((n, f) => n + f.length, 0);
  }
  const rows = countRows(sets);
  await writeCountsCsv(
    file,
    rows,
    { columns: ['roi', 'query', 'scene_id', 'count', 'area_m2', 'segmenter'] },
    signal,
  );
  return rows.length;
}
