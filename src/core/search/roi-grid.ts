import proj4 from 'proj4';
import type { RoiGeometry } from '../../shared/contract/search';
import type { GridRing } from '../detect/detection-types';
import { roiToGridMask } from '../detect/roi-mask';
import type { FieldMeta } from '../field/field-types';

/** Points added per edge when projecting WGS84 edges into the grid (they become curves in a projected CRS). */
const DENSIFY = 8;

/** ROI polygons (WGS84) in patch-grid coordinates (x = column, y = row) of a field. */
export function roiToGrid(geom: RoiGeometry, meta: Pick<FieldMeta, 'geoTransform' | 'crs'>): GridRing[][] {
  const conv = proj4('EPSG:4326', meta.crs.proj4);
  const [a, b, c, d, e, f] = meta.geoTransform;
  const det = b * f - c * e;
  const toGrid = (lon: number, lat: number): [number, number] => {
    const [x, y] = conv.forward([lon, lat]);
    const dx = x - a;
    const dy = y - d;
    return [(f * dx - c * dy) / det, (-e * dx + b * dy) / det];
  };
  const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  return polys.map((rings) =>
    rings.map((ring) => {
      const out: GridRing = [];
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x0, y0] = ring[i];
        const [x1, y1] = ring[i + 1];
        for (let k = 0; k < DENSIFY; k++)
          out.push(toGrid(x0 + ((x1 - x0) * k) / DENSIFY, y0 + ((y1 - y0) * k) / DENSIFY));
      }
      out.push(out[0]);
      return out;
    }),
  );
}

/**
 * Cells whose square the ROI touches at all: cells with their centre inside (roiToGridMask)
 * plus every cell an ROI edge passes through (grid traversal of each segment, Amanatides & Woo).
 * A detection "intersects" an ROI when one of its cells is in this mask.
 * @returns uint8[rows*cols]
 */
export function roiTouchMask(polys: GridRing[][], rows: number, cols: number): Uint8Array {
  const mask = roiToGridMask(polys, rows, cols);
  const mark = (r: number, c: number) => {
    if (r >= 0 && c >= 0 && r < rows && c < cols) mask[r * cols + c] = 1;
  };
  for (const rings of polys)
    for (const ring of rings)
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x0, y0] = ring[i];
        const [x1, y1] = ring[i + 1];
        let cx = Math.floor(x0);
        let cy = Math.floor(y0);
        const ex = Math.floor(x1);
        const ey = Math.floor(y1);
        const dx = x1 - x0;
        const dy = y1 - y0;
        const sx = Math.sign(dx);
        const sy = Math.sign(dy);
        const tdx = dx !== 0 ? Math.abs(1 / dx) : Infinity;
        const tdy = dy !== 0 ? Math.abs(1 / dy) : Infinity;
        let tx = dx > 0 ? (cx + 1 - x0) * tdx : dx < 0 ? (x0 - cx) * tdx : Infinity;
        let ty = dy > 0 ? (cy + 1 - y0) * tdy : dy < 0 ? (y0 - cy) * tdy : Infinity;
        mark(cy, cx);
        // Bounded walk: |ex-cx| + |ey-cy| steps reach the end cell.
        for (let n = Math.abs(ex - cx) + Math.abs(ey - cy); n > 0; n--) {
          if (tx < ty) {
            tx += tdx;
            cx += sx;
          } else {
            ty += tdy;
            cy += sy;
          }
          mark(cy, cx);
        }
      }
  return mask;
}

/** True when any cell of the mask is set. */
export function maskAny(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i]) return true;
  return false;
}
