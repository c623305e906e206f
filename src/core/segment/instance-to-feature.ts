import type { ExportFeature, ObjectFeatureProperties } from '../export/export-types';
import { metresPerUnit, type Crs } from '../imagery/crs';
import { fillSmallHoles } from '../vector/fill-small-holes';
import { maskToPolygons } from '../vector/mask-to-polygons';
import { pixelRingsToWorld, type GeoTransform } from '../vector/pixel-rings-to-world';
import { simplifyPolygons } from '../vector/simplify-ring';
import type { PolygonRings } from '../vector/types';
import type { InstanceMask } from './segment-types';

/** What georeferences masks: the scene's grid and CRS. */
export interface GridRef {
  geoTransform: GeoTransform;
  crs: Crs;
  /** Pixel size on the ground [x, y], metres. */
  resolutionM: [number, number];
  /** Native CRS → [lon, lat]. */
  toWgs84(x: number, y: number): [number, number];
}

export interface PolygonOptions {
  /** Simplification tolerance, metres. Default: half a pixel. */
  toleranceM?: number;
  /** Enclosed holes up to this many pixels are filled (SAM speckle). Default 4. */
  maxHolePx?: number;
}

/** The polygon of one instance: geometry in WGS84, area, and the pixel-space parts it came from. */
export interface InstancePolygon {
  geometry: ExportFeature['geometry'];
  areaM2: number;
  parts: PolygonRings[];
  pixels: number;
}

/**
 * Mask → polygon: keeps the instance's largest 4-connected piece (SAM leaves specks; one object
 * is one polygon), fills pinholes, traces its contour with holes (exact pixel edges, as
 * gdal_polygonize), simplifies rings with `toleranceM` (Douglas–Peucker, validity kept),
 * georeferences with the scene's transform and reprojects to WGS84 with RFC 7946 winding.
 * Area is the planar area in the scene's projected CRS (geodesic for geographic CRSs).
 * @returns null when the mask is empty.
 */
export function instancePolygon(
  inst: InstanceMask,
  grid: GridRef,
  opts: PolygonOptions = {},
): InstancePolygon | null {
  const [x0, y0, x1, y1] = inst.bbox;
  const w = x1 - x0;
  const h = y1 - y0;
  const mask = fillSmallHoles(inst.mask.slice(), w, h, opts.maxHolePx ?? 4);
  const objects = maskToPolygons(mask, w, h, { connectivity: 4 });
  if (objects.length === 0) return null;
  const main = objects.reduce((a, b) => (b.pixelCount > a.pixelCount ? b : a));
  const pixelM = Math.sqrt(grid.resolutionM[0] * grid.resolutionM[1]);
  const tol = opts.toleranceM ?? 0.5 * pixelM;
  // simplifyPolygons returns either a candidate it has validated or the traced rings (valid by
  // construction, as gdal_polygonize's), so no second validity pass here: on speckled masks
  // (thousands of holes) that pass alone cost hundreds of milliseconds per click.
  const parts = simplifyPolygons(main.polygons, tol, pixelM);
  const shifted = parts.map((p) => p.map((ring) => ring.map(([x, y]): [number, number] => [x + x0, y + y0])));
  const world = pixelRingsToWorld(shifted, grid.geoTransform, grid.toWgs84);
  const geographic = /\+proj=longlat/.test(grid.crs.proj4);
  const [mx, my] = metresPerUnit(grid.crs, 0);
  const areaM2 = geographic ? world.areaTurfM2 : world.areaNative * mx * my;
  return { geometry: world.geometry, areaM2, parts: shifted, pixels: main.pixelCount };
}

/** Provenance shared by every feature of one run. */
export interface FeatureContext {
  query: string;
  threshold: number | null;
  patchPack: { id: string; sha256: string } | null;
  sceneId: string;
  acquiredAt: string | null;
  createdAt: string;
}

/** The exported feature of one instance, with every ObjectFeatureProperties field. */
export function instanceFeature(
  inst: InstanceMask,
  poly: InstancePolygon,
  samPack: { id: string; sha256: string } | null,
  ctx: FeatureContext,
  id: number,
): ExportFeature {
  const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
  const properties: ObjectFeatureProperties = {
    query: ctx.query,
    score: inst.score,
    mean_score: inst.meanScore,
    sam_iou: inst.samIou === null ? null : round(inst.samIou, 6),
    area_m2: round(poly.areaM2, 2),
    segmenter: inst.segmenter,
    pack_id: ctx.patchPack?.id ?? '',
    pack_sha256: ctx.patchPack?.sha256 ?? '',
    sam_pack_id: inst.segmenter === 'sam' ? (samPack?.id ?? null) : null,
    sam_pack_sha256: inst.segmenter === 'sam' ? (samPack?.sha256 ?? null) : null,
    scene_id: ctx.sceneId,
    acquired_at: ctx.acquiredAt,
    threshold: ctx.threshold,
    created_at: ctx.createdAt,
  };
  return { type: 'Feature', id, geometry: poly.geometry, properties };
}
