import proj4 from 'proj4';
import type { FieldMeta } from '../field/field-types';
import type { ChipGeometry } from './chip-field';

/** A chip's footprint as a rectangle of the patch grid, half-open: rows [r0, r1), cols [c0, c1). */
export interface ChipRect {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

/**
 * The patches chip (row, col) of a chip grid saw: its kept block plus `margin` patches around,
 * clipped to the patch grid (what is beyond it is not scene, it was fed to the encoder as nodata).
 */
export function chipRect(geo: ChipGeometry, row: number, col: number): ChipRect {
  const r0 = row * geo.step - geo.margin;
  const c0 = col * geo.step - geo.margin;
  return {
    r0: Math.max(0, r0),
    c0: Math.max(0, c0),
    r1: Math.min(geo.patchRows, r0 + geo.patchesPerChip),
    c1: Math.min(geo.patchCols, c0 + geo.patchesPerChip),
  };
}

/** Maps patch-grid coordinates (x = column, y = row) of a field to WGS84 [lon, lat]. */
export function gridToWgs84(
  meta: Pick<FieldMeta, 'geoTransform' | 'crs'>,
): (x: number, y: number) => [number, number] {
  const conv = proj4(meta.crs.proj4, 'EPSG:4326');
  const [a, b, c, d, e, f] = meta.geoTransform;
  return (x, y) => {
    const [lon, lat] = conv.forward([a + b * x + c * y, d + e * x + f * y]);
    return [lon, lat];
  };
}

/**
 * A chip rectangle as a GeoJSON Polygon in WGS84 (exterior ring counter-clockwise for a north-up
 * grid, RFC 7946) and its centre. Four corners: a chip is a few hundred metres across, where
 * the projected edges' curvature in lon/lat is far below a pixel.
 */
export function chipFootprint(
  rect: ChipRect,
  toWgs84: (x: number, y: number) => [number, number],
): { footprint: { type: 'Polygon'; coordinates: [number, number][][] }; centre: [number, number] } {
  const { r0, c0, r1, c1 } = rect;
  const ring = [toWgs84(c0, r0), toWgs84(c0, r1), toWgs84(c1, r1), toWgs84(c1, r0)];
  ring.push([ring[0][0], ring[0][1]]);
  return {
    footprint: { type: 'Polygon', coordinates: [ring] },
    centre: toWgs84((c0 + c1) / 2, (r0 + r1) / 2),
  };
}
