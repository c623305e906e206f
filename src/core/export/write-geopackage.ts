import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import { atomicWriteFile } from '../util/atomic-write';
import { checkedGeometry } from './check-geometry';
import type { ExportFeature, FieldDef, FieldValue } from './export-types';
import { encodeGpkgGeometry, geometryEnvelope } from './gpkg-geometry';
import { GPKG_APPLICATION_ID, GPKG_CORE_SQL, GPKG_USER_VERSION, WGS84_WKT } from './gpkg-schema';

export interface GpkgLayer {
  /** Table name, e.g. from `layerNameForQuery`. Must not start with "gpkg_". */
  name: string;
  features: ExportFeature[];
  /** Attribute columns, in order; properties not listed here are not written. */
  fields: FieldDef[];
  description?: string;
}

let sqlJs: Promise<SqlJsStatic> | undefined;
function loadSqlJs(): Promise<SqlJsStatic> {
  const require = createRequire(import.meta.url);
  sqlJs ??= initSqlJs({ locateFile: (file) => require.resolve(`sql.js/dist/${file}`) });
  return sqlJs;
}

const quoteId = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A GeoPackage-friendly table name for a query: lowercase ASCII, digits, underscores; <= 60 chars. */
export function layerNameForQuery(query: string): string {
  let s = query
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(s)) s = `q_${s}`;
  if (s.startsWith('gpkg_')) s = `q_${s}`;
  return s.slice(0, 60).replace(/_+$/, '') || 'q';
}

function toSql(v: FieldValue | undefined, f: FieldDef, what: string): SqlValue {
  if (v === null || v === undefined) return null;
  switch (f.type) {
    case 'TEXT':
      return v instanceof Date ? v.toISOString() : String(v);
    case 'REAL':
      if (typeof v === 'number') return Number.isFinite(v) ? v : null;
      break;
    case 'INTEGER':
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
      break;
    case 'DATETIME': {
      const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;
      // GeoPackage DATETIME: ISO 8601 'YYYY-MM-DDTHH:MM:SS.SSSZ' (UTC).
      if (d && !Number.isNaN(d.getTime())) return d.toISOString();
      break;
    }
  }
  throw new AppError(
    'INVALID_INPUT',
    `${what}: field "${f.name}" expects ${f.type}, got ${JSON.stringify(v)}`,
  );
}

function checkLayers(path: string, layers: GpkgLayer[]): void {
  const names = new Set<string>();
  for (const l of layers) {
    const lower = l.name.toLowerCase();
    if (!l.name || lower.startsWith('gpkg_') || lower.startsWith('sqlite_') || lower.startsWith('rtree_'))
      throw new AppError('INVALID_INPUT', `${path}: layer name "${l.name}" is empty or reserved`);
    if (names.has(lower)) throw new AppError('INVALID_INPUT', `${path}: two layers named "${l.name}"`);
    names.add(lower);
    const cols = new Set(['fid', 'geom']);
    for (const f of l.fields) {
      if (!f.name || cols.has(f.name.toLowerCase()))
        throw new AppError(
          'INVALID_INPUT',
          `${path}: layer "${l.name}" field "${f.name}" is empty, repeated or reserved`,
        );
      if (!['TEXT', 'REAL', 'INTEGER', 'DATETIME'].includes(f.type))
        throw new AppError(
          'INVALID_INPUT',
          `${path}: layer "${l.name}" field "${f.name}" has unknown type ${f.type}`,
        );
      cols.add(f.name.toLowerCase());
    }
  }
}

function writeLayer(db: Database, path: string, layer: GpkgLayer, signal?: AbortSignal): void {
  const geoms = layer.features.map((f, i) =>
    checkedGeometry(f.geometry, `${path} layer "${layer.name}" feature ${i}`),
  );
  // A column holds its declared type only: all-Polygon layers stay POLYGON, mixed ones are promoted.
  const geomType = geoms.length > 0 && geoms.every((g) => g.type === 'Polygon') ? 'POLYGON' : 'MULTIPOLYGON';
  const promote = geomType === 'MULTIPOLYGON';
  const cols = layer.fields.map((f) => `${quoteId(f.name)} ${f.type}`);
  const table = quoteId(layer.name);
  db.run(
    `CREATE TABLE ${table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${geomType}${cols.map((c) => `, ${c}`).join('')})`,
  );
  const env = [Infinity, Infinity, -Infinity, -Infinity];
  const names = ['geom', ...layer.fields.map((f) => f.name)].map(quoteId).join(', ');
  const stmt = db.prepare(
    `INSERT INTO ${table} (${names}) VALUES (${['?', ...layer.fields.map(() => '?')].join(', ')})`,
  );
  try {
    layer.features.forEach((feat, i) => {
      if (i % 500 === 0) throwIfAborted(signal);
      const what = `${path} layer "${layer.name}" feature ${i}`;
      const e = geometryEnvelope(geoms[i]);
      env[0] = Math.min(env[0], e[0]);
      env[1] = Math.min(env[1], e[1]);
      env[2] = Math.max(env[2], e[2]);
      env[3] = Math.max(env[3], e[3]);
      stmt.run([
        encodeGpkgGeometry(geoms[i], 4326, promote),
        ...layer.fields.map((f) => toSql(feat.properties?.[f.name], f, what)),
      ]);
    });
  } finally {
    stmt.free();
  }
  const hasEnv = geoms.length > 0;
  db.run(
    `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
     VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, 4326)`,
    [
      layer.name,
      layer.name,
      layer.description ?? '',
      new Date().toISOString(),
      ...(hasEnv ? env : [null, null, null, null]),
    ],
  );
  db.run(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)`, [layer.name, geomType]);
}

/**
 * Writes an OGC GeoPackage 1.3 (SQLite via sql.js, our own GeoPackage binary geometries):
 * gpkg_spatial_ref_sys with EPSG:4326, gpkg_contents with extents, gpkg_geometry_columns, one
 * feature table per layer (`fid`, `geom`, typed attribute columns), application_id "GPKG" and
 * user_version 10300. No R-tree index (optional in the spec; GIS apps build one on demand).
 * DATETIME values are stored as ISO 8601 UTC text, as the spec requires.
 * The database is built in memory and written atomically.
 * @throws AppError('INVALID_INPUT') for bad names/values/geometries, AppError('IO') if `path` cannot be written.
 */
export async function writeGeoPackage(
  path: string,
  layers: GpkgLayer[],
  signal?: AbortSignal,
): Promise<void> {
  throwIfAborted(signal);
  checkLayers(path, layers);
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  let bytes: Uint8Array;
  try {
    db.run(`PRAGMA application_id = ${GPKG_APPLICATION_ID}`);
    db.run(`PRAGMA user_version = ${GPKG_USER_VERSION}`);
    db.run('BEGIN');
    db.exec(GPKG_CORE_SQL);
    db.run('INSERT INTO gpkg_spatial_ref_sys VALUES (?, 4326, ?, 4326, ?, ?)', [
      'WGS 84 geodetic',
      'EPSG',
      WGS84_WKT,
      'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid',
    ]);
    for (const layer of layers) writeLayer(db, path, layer, signal);
    db.run('COMMIT');
    bytes = db.export();
  } finally {
    db.close();
  }
  await atomicWriteFile(path, bytes, {}, signal);
}
