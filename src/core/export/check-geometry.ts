import { AppError } from '../../shared/errors';
import type { PolygonGeometry } from '../vector/types';

function signedArea(ring: number[][]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

/**
 * Checks a WGS84 polygon geometry for export (closed rings of >= 4 finite lon/lat positions
 * in range) and returns it with RFC 7946 winding (exterior counter-clockwise, holes clockwise).
 * @param what names the feature in error messages, e.g. "pools.geojson feature 3".
 */
export function checkedGeometry(g: PolygonGeometry, what: string): PolygonGeometry {
  const polys = g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : null;
  if (!polys || polys.length === 0)
    throw new AppError('INVALID_INPUT', `${what}: geometry must be a non-empty Polygon or MultiPolygon`);
  const fixed = polys.map((rings) => {
    if (!Array.isArray(rings) || rings.length === 0)
      throw new AppError('INVALID_INPUT', `${what}: polygon without rings`);
    return rings.map((ring, i) => {
      if (!Array.isArray(ring) || ring.length < 4)
        throw new AppError('INVALID_INPUT', `${what}: ring with fewer than 4 positions`);
      for (const p of ring)
        if (!Number.isFinite(p[0]) || !Number.isFinite(p[1]) || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
          throw new AppError('INVALID_INPUT', `${what}: position [${p.join(', ')}] is not WGS84 lon/lat`);
      const a = ring[0];
      const b = ring[ring.length - 1];
      if (a[0] !== b[0] || a[1] !== b[1]) throw new AppError('INVALID_INPUT', `${what}: ring is not closed`);
      const ccw = signedArea(ring) > 0;
      return (i === 0) === ccw ? ring : [...ring].reverse();
    });
  });
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: fixed[0] }
    : { type: 'MultiPolygon', coordinates: fixed };
}
