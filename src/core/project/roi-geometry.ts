import { AppError } from '../../shared/errors';
import type { RoiGeometry } from '../../shared/contract/search';

type Pos = number[];

function checkRing(ring: unknown, where: string): Pos[] {
  if (!Array.isArray(ring))
    throw new AppError('INVALID_INPUT', `${where}: a ring must be an array of [lon, lat] positions`);
  if (ring.length < 4)
    throw new AppError(
      'INVALID_INPUT',
      `${where}: a ring needs at least 4 positions (first = last), found ${ring.length}`,
    );
  ring.forEach((p, i) => {
    if (
      !Array.isArray(p) ||
      p.length < 2 ||
      p.length > 3 ||
      !p.every((v) => typeof v === 'number' && Number.isFinite(v))
    )
      throw new AppError(
        'INVALID_INPUT',
        `${where}, position ${i}: expected [lon, lat] numbers, found ${JSON.stringify(p)?.slice(0, 60)}`,
      );
    const [lon, lat] = p as number[];
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
      throw new AppError(
        'INVALID_INPUT',
        `${where}, position ${i}: [${lon}, ${lat}] is outside WGS84 lon/lat ranges (GeoJSON must be EPSG:4326 lon, lat; reproject projected coordinates first)`,
      );
  });
  const a = ring[0] as Pos;
  const b = ring[ring.length - 1] as Pos;
  if (a[0] !== b[0] || a[1] !== b[1])
    throw new AppError(
      'INVALID_INPUT',
      `${where}: ring is not closed (first [${a[0]}, ${a[1]}] differs from last [${b[0]}, ${b[1]}])`,
    );
  return ring as Pos[];
}

function checkPolygon(rings: unknown, where: string): Pos[][] {
  if (!Array.isArray(rings) || rings.length === 0)
    throw new AppError('INVALID_INPUT', `${where}: a polygon needs at least one ring`);
  return rings.map((r, i) => checkRing(r, `${where}, ring ${i}`));
}

/**
 * Validates a GeoJSON geometry as an ROI: Polygon or MultiPolygon, WGS84 lon/lat ranges, rings
 * of >= 4 positions, closed. Throws INVALID_INPUT naming where and why.
 */
export function validateRoiGeometry(g: unknown, where = 'ROI'): RoiGeometry {
  if (!g || typeof g !== 'object')
    throw new AppError('INVALID_INPUT', `${where}: expected a GeoJSON geometry object`);
  const type = (g as { type?: unknown }).type;
  const coords = (g as { coordinates?: unknown }).coordinates;
  if (type === 'Polygon') return { type, coordinates: checkPolygon(coords, where) };
  if (type === 'MultiPolygon') {
    if (!Array.isArray(coords) || coords.length === 0)
      throw new AppError('INVALID_INPUT', `${where}: a MultiPolygon needs at least one polygon`);
    return { type, coordinates: coords.map((p, i) => checkPolygon(p, `${where}, polygon ${i}`)) };
  }
  throw new AppError(
    'INVALID_INPUT',
    `${where}: geometry type ${JSON.stringify(type)} is not an area; an ROI must be a Polygon or MultiPolygon`,
  );
}

/**
 * Parses GeoJSON text (FeatureCollection, Feature or bare geometry) into ROIs: one per
 * Polygon/MultiPolygon feature, named by properties.name (else "<base> <n>").
 */
export function parseRoiGeoJson(
  text: string,
  where: string,
  baseName = 'ROI',
): { name: string; geometry: RoiGeometry }[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new AppError('INVALID_INPUT', `${where}: not valid JSON (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== 'object') throw new AppError('INVALID_INPUT', `${where}: not a GeoJSON object`);
  const d = doc as {
    type?: unknown;
    features?: unknown;
    geometry?: unknown;
    properties?: { name?: unknown } | null;
    crs?: unknown;
  };
  if (d.crs !== undefined) {
    const name = JSON.stringify(d.crs).toLowerCase();
    if (!/crs84|4326/.test(name))
      throw new AppError(
        'INVALID_INPUT',
        `${where}: has a "crs" member (${JSON.stringify(d.crs).slice(0, 80)}); RFC 7946 GeoJSON is WGS84 lon/lat only, reproject it first`,
      );
  }
  const features: { geometry: unknown; name: unknown }[] =
    d.type === 'FeatureCollection'
      ? Array.isArray(d.features)
        ? d.features.map((f: { geometry?: unknown; properties?: { name?: unknown } | null }) => ({
            geometry: f?.geometry,
            name: f?.properties?.name,
          }))
        : (() => {
            throw new AppError('INVALID_INPUT', `${where}: FeatureCollection without a "features" array`);
          })()
      : d.type === 'Feature'
        ? [{ geometry: d.geometry, name: d.properties?.name }]
        : [{ geometry: doc, name: undefined }];
  if (features.length === 0) throw new AppError('INVALID_INPUT', `${where}: no features`);
  return features.map((f, i) => ({
    name:
      typeof f.name === 'string' && f.name ? f.name : features.length > 1 ? `${baseName} ${i + 1}` : baseName,
    geometry: validateRoiGeometry(f.geometry, features.length > 1 ? `${where}, feature ${i}` : where),
  }));
}
