import { area as turfArea } from '@turf/turf';
import { AppError } from '../../shared/errors';
import type { PolygonGeometry, PolygonRings, Ring } from './types';

/** GDAL geotransform order: [x0, dx, rx, y0, ry, dy]; X = x0 + col*dx + row*rx, Y = y0 + col*ry + row*dy. */
export type GeoTransform = [number, number, number, number, number, number];

export interface WorldPolygon {
  /** RFC 7946 geometry in WGS84 lon/lat: exteriors counter-clockwise, holes clockwise, closed rings. */
  geometry: PolygonGeometry;
  /** Shoelace area in the raster's native CRS units squared (m² for a metre-based projected CRS). */
  areaNative: number;
  /** Geodesic area in m² from @turf/area on `geometry` (the check, and the value to use for geographic CRSs). */
  areaTurfM2: number;
}

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

/**
 * Shoelace sum (math orientation, y up): positive = counter-clockwise. Taken relative to the
 * first vertex: UTM coordinates (~5e5, ~4e6 m) would otherwise cancel away millimetres.
 */
function signedArea(ring: number[][]): number {
  const [ox, oy] = ring[0];
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++)
    s += (ring[i][0] - ox) * (ring[i + 1][1] - oy) - (ring[i + 1][0] - ox) * (ring[i][1] - oy);
  return s / 2;
}

/**
 * Georeferences pixel-space polygon parts (mask-to-polygons output) to a GeoJSON geometry.
 *
 * @param parts polygons in pixel-corner coordinates ([exterior, ...holes] each, closed rings).
 * @param geoTransform GDAL-order affine transform from pixel corners to the native CRS.
 * @param toWgs84 native CRS (x, y) -> [lon, lat] in degrees (e.g. a proj4 forward function).
 * @returns a Polygon (one part) or MultiPolygon, rounded to 1e-7 degrees (about 1 cm) with
 *   consecutive duplicates removed, wound per RFC 7946, plus native and geodesic areas.
 */
export function pixelRingsToWorld(
  parts: PolygonRings[],
  geoTransform: GeoTransform,
  toWgs84: (x: number, y: number) => [number, number],
): WorldPolygon {
  if (parts.length === 0) throw new AppError('INVALID_INPUT', 'pixelRingsToWorld: no polygon parts');
  if (geoTransform.length !== 6 || geoTransform.some((v) => !Number.isFinite(v)))
    throw new AppError('INVALID_INPUT', `pixelRingsToWorld: bad geotransform [${geoTransform.join(', ')}]`);
  const [x0, dx, rx, y0, ry, dy] = geoTransform;
  let areaNative = 0;
  const coordinates = parts.map((rings) =>
    rings.map((ring: Ring, i) => {
      const native = ring.map(([c, r]) => [x0 + c * dx + r * rx, y0 + c * ry + r * dy]);
      const a = Math.abs(signedArea(native));
      areaNative += i === 0 ? a : -a;
      const out: number[][] = [];
      for (const [x, y] of native) {
        const [lon, lat] = toWgs84(x, y);
        if (!Number.isFinite(lon) || !Number.isFinite(lat))
          throw new AppError('INVALID_INPUT', `pixelRingsToWorld: (${x}, ${y}) does not project to WGS84`);
        const p = [round7(lon), round7(lat)];
        const last = out[out.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
      }
      const first = out[0];
      const end = out[out.length - 1];
      if (first[0] !== end[0] || first[1] !== end[1]) out.push([first[0], first[1]]);
      if (out.length < 4)
        throw new AppError('INVALID_INPUT', 'pixelRingsToWorld: a ring collapses below 1e-7 degrees');
      // RFC 7946 §3.1.6: exterior counter-clockwise, holes clockwise.
      const ccw = signedArea(out) > 0;
      if ((i === 0) !== ccw) out.reverse();
      return out;
    }),
  );
  const geometry: PolygonGeometry =
    coordinates.length === 1
      ? { type: 'Polygon', coordinates: coordinates[0] }
      : { type: 'MultiPolygon', coordinates };
  return { geometry, areaNative, areaTurfM2: turfArea(geometry) };
}
