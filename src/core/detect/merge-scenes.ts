import proj4 from 'proj4';
import { area, featureCollection, intersect, multiPolygon } from '@turf/turf';
import type { FieldMeta } from '../field/field-types';
import { cellsToPolygon } from './cells-to-polygon';
import type { Detection } from './detection-types';

/** Grid (x = column, y = row, patch units) -> [lon, lat] WGS84. */
export type GridToWgs84 = (x: number, y: number) => [number, number];

/** Maps grid coordinates through the field's geotransform and CRS to WGS84 lon/lat. */
export function gridToWgs84(meta: Pick<FieldMeta, 'geoTransform' | 'crs'>): GridToWgs84 {
  const [ox, pw, rx, oy, ry, ph] = meta.geoTransform;
  const conv = proj4(meta.crs.proj4, 'EPSG:4326');
  return (x, y) => {
    const p = conv.forward([ox + x * pw + y * rx, oy + x * ry + y * ph]);
    return [p[0], p[1]];
  };
}

export interface SceneDetections {
  sceneId: string;
  cols: number;
  detections: Detection[];
  toWgs84: GridToWgs84;
}

export interface MergedDetection {
  sceneId: string;
  detection: Detection;
  /** GeoJSON MultiPolygon coordinates, WGS84. */
  polygon: [number, number][][][];
  /** Detections of other scenes that overlapped and were dropped for this one. */
  duplicates: { sceneId: string; id: number }[];
}

/**
 * De-duplicates detections of overlapping scenes: detections of different scenes whose WGS84
 * polygons intersect with more than `minOverlapM2` (default 0: any positive area) are one
 * object, and the one with the higher peak is kept (overlap is transitive through chains).
 * Detections of one scene never merge with each other (they are disjoint components).
 * @returns kept detections, highest peak first
 */
export function mergeAcrossScenes(
  scenes: SceneDetections[],
  opts: { minOverlapM2?: number } = {},
): MergedDetection[] {
  const minOverlap = opts.minOverlapM2 ?? 0;
  const items = scenes.flatMap((s, si) =>
    s.detections.map((d) => {
      const poly = cellsToPolygon(d.cells, s.cols).map((p) =>
        p.map((ring) => ring.map(([x, y]) => s.toWgs84(x, y))),
      );
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (const p of poly)
        for (const [x, y] of p[0]) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      return { si, sceneId: s.sceneId, d, poly, box: [x0, y0, x1, y1] };
    }),
  );
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  // Sort by west edge and sweep: only boxes that overlap in x are tested.
  const order = items.map((_, i) => i).sort((a, b) => items[a].box[0] - items[b].box[0]);
  for (let a = 0; a < order.length; a++) {
    const A = items[order[a]];
    for (let b = a + 1; b < order.length && items[order[b]].box[0] <= A.box[2]; b++) {
      const B = items[order[b]];
      if (A.si === B.si || B.box[1] > A.box[3] || B.box[3] < A.box[1]) continue;
      if (find(order[a]) === find(order[b])) continue;
      const inter = intersect(featureCollection([multiPolygon(A.poly), multiPolygon(B.poly)]));
      if (inter && area(inter) > minOverlap) parent[find(order[a])] = find(order[b]);
    }
  }
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => {
    const g = find(i);
    groups.set(g, [...(groups.get(g) ?? []), i]);
  });
  const out: MergedDetection[] = [];
  for (const members of groups.values()) {
    members.sort((a, b) => items[b].d.peak - items[a].d.peak || items[a].si - items[b].si);
    const keep = items[members[0]];
    out.push({
      sceneId: keep.sceneId,
      detection: keep.d,
      polygon: keep.poly,
      duplicates: members.slice(1).map((i) => ({ sceneId: items[i].sceneId, id: items[i].d.id })),
    });
  }
  return out.sort((a, b) => b.detection.peak - a.detection.peak);
}
