import { AppError } from '../../shared/errors';
import { labelComponents } from './label-components';
import type { MaskObject, Point, PolygonRings, Ring } from './types';

export interface MaskToPolygonsOptions {
  /** Which pixels form one object (one output feature). Default 4, like gdal_polygonize. */
  connectivity?: 4 | 8;
}

// Directions in pixel space (y down). RIGHT_TURN[d] is the direction after a right turn.
const E = 0;
const S = 1;
const W = 2;
const N = 3;
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];
const RIGHT_TURN = [S, W, N, E];
const LEFT_TURN = [N, E, S, W];

/**
 * Traces every connected component of a mask into polygons made of pixel edges: each
 * polygon is exactly the union of its pixel squares, as with `gdal_polygonize.py`.
 *
 * Boundary edges are walked with the foreground on the right, so exterior rings come out
 * with a positive shoelace sum in pixel space and holes negative (see types.ts).
 *
 * Diagonal contacts (a vertex where two foreground pixels touch only at a corner):
 * - if the two pixels belong to different 4-connected pieces, the walk hugs the foreground
 *   (each piece gets its own ring); if they belong to the same piece, it hugs the
 *   background, so the background behind the corner becomes a hole ring that touches the
 *   exterior at that vertex. Every ring is then simple (no vertex visited twice) and rings
 *   touch only at single points, which OGC allows. This is exactly GDAL's output for
 *   4-connectivity.
 * - connectivity 4: diagonal neighbours are separate objects (same features as GDAL).
 * - connectivity 8: diagonal neighbours are ONE object (same features as GDAL's
 *   `8CONNECTED=8`), but where GDAL writes a single self-touching ring (invalid for GEOS:
 *   "Ring Self-intersection"), we write one polygon per 4-connected piece, i.e. a valid
 *   MultiPolygon covering the same point set (GDAL's geometry after MakeValid).
 *
 * @param mask uint8[height*width] row-major, non-zero = foreground.
 * @returns one MaskObject per component, ordered by id (raster order of first pixel).
 */
export function maskToPolygons(
  mask: Uint8Array,
  width: number,
  height: number,
  opts: MaskToPolygonsOptions = {},
): MaskObject[] {
  const connectivity = opts.connectivity ?? 4;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0)
    throw new AppError('INVALID_INPUT', `mask: bad size ${width}x${height}`);
  if (mask.length !== width * height)
    throw new AppError('INVALID_INPUT', `mask: ${mask.length} bytes for ${width}x${height} pixels`);
  if (connectivity !== 4 && connectivity !== 8)
    throw new AppError('INVALID_INPUT', `mask: connectivity must be 4 or 8, got ${String(connectivity)}`);

  // Rings always bound 4-connected pieces; 8-connectivity only groups pieces into objects.
  const { labels: l4, count: n4 } = labelComponents(mask, width, height, 4);
  if (n4 === 0) return [];
  const parts: { exterior?: Ring; holes: Ring[] }[] = Array.from({ length: n4 + 1 }, () => ({ holes: [] }));
  traceRings(mask, width, height, l4, (ring, label, exterior) => {
    if (exterior) parts[label].exterior = ring;
    else parts[label].holes.push(ring);
  });

  // object id for each 4-label, pixel counts and bboxes
  let objectOf: Int32Array;
  let nObjects: number;
  if (connectivity === 8) {
    const { labels: l8, count: n8 } = labelComponents(mask, width, height, 8);
    objectOf = new Int32Array(n4 + 1);
    for (let p = 0; p < l4.length; p++) if (l4[p] !== 0) objectOf[l4[p]] = l8[p];
    nObjects = n8;
  } else {
    objectOf = Int32Array.from({ length: n4 + 1 }, (_, i) => i);
    nObjects = n4;
  }
  const objects: MaskObject[] = Array.from({ length: nObjects }, (_, i) => ({
    id: i + 1,
    pixelCount: 0,
    bbox: [Infinity, Infinity, -Infinity, -Infinity],
    polygons: [],
  }));
  for (let y = 0, p = 0; y < height; y++) {
    for (let x = 0; x < width; x++, p++) {
      const l = l4[p];
      if (l === 0) continue;
      const o = objects[objectOf[l] - 1];
      o.pixelCount++;
      const b = o.bbox;
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x + 1 > b[2]) b[2] = x + 1;
      if (y + 1 > b[3]) b[3] = y + 1;
    }
  }
  for (let l = 1; l <= n4; l++) {
    const { exterior, holes } = parts[l];
    if (!exterior) throw new AppError('INTERNAL', `mask: component ${l} has no exterior ring`);
    const poly: PolygonRings = [exterior, ...holes];
    objects[objectOf[l] - 1].polygons.push(poly);
  }
  return objects;
}

/**
 * Walks every boundary edge once. Calls `emit(ring, label4, isExterior)` per ring.
 * Only corner vertices are kept (collinear edge vertices are dropped).
 */
function traceRings(
  mask: Uint8Array,
  width: number,
  height: number,
  l4: Int32Array,
  emit: (ring: Ring, label: number, exterior: boolean) => void,
): void {
  const fg = (x: number, y: number): boolean =>
    x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] !== 0;
  // visited[h]: horizontal edge at vertex row vy spanning [x, x+1] -> index vy*width + x
  // visited[v]: vertical edge at vertex column vx spanning [y, y+1] -> index y*(width+1) + vx
  const hVisited = new Uint8Array(width * (height + 1));
  const vVisited = new Uint8Array((width + 1) * height);

  /** Outgoing boundary direction at vertex (vx, vy) after arriving in direction `d`. */
  const next = (vx: number, vy: number, d: number): number => {
    const nw = fg(vx - 1, vy - 1);
    const ne = fg(vx, vy - 1);
    const sw = fg(vx - 1, vy);
    const se = fg(vx, vy);
    // Foreground on the right of each directed edge.
    const outE = se && !ne;
    const outW = nw && !sw;
    const outS = sw && !se;
    const outN = ne && !nw;
    const count = +outE + +outW + +outS + +outN;
    if (count === 2) {
      // Saddle: two foreground pixels touch only at this corner. If they are different
      // 4-pieces, hug the foreground pixel (keeps the pieces' rings apart); if they are the
      // same piece, hug the background (splits off the hole). Either way no ring visits a
      // vertex twice.
      const a = nw ? l4[(vy - 1) * width + vx - 1] : l4[(vy - 1) * width + vx];
      const b = nw ? l4[vy * width + vx] : l4[vy * width + vx - 1];
      return a === b ? LEFT_TURN[d] : RIGHT_TURN[d];
    }
    if (outE) return E;
    if (outS) return S;
    if (outW) return W;
    if (outN) return N;
    throw new AppError('INTERNAL', `mask: broken boundary at vertex (${vx}, ${vy})`);
  };

  for (let vy = 0; vy <= height; vy++) {
    for (let x = 0; x < width; x++) {
      const hi = vy * width + x;
      if (hVisited[hi]) continue;
      const above = fg(x, vy - 1);
      const below = fg(x, vy);
      if (above === below) continue;
      const startDir = below ? E : W;
      const sx = below ? x : x + 1;
      const sy = vy;
      const label = below ? l4[vy * width + x] : l4[(vy - 1) * width + x];
      const ring: Point[] = [];
      let vx = sx;
      let cy = sy;
      let d = startDir;
      let area2 = 0; // twice the shoelace sum over corners
      for (;;) {
        // mark the edge we walk along, then step
        if (d === E) hVisited[cy * width + vx] = 1;
        else if (d === W) hVisited[cy * width + vx - 1] = 1;
        else if (d === S) vVisited[cy * (width + 1) + vx] = 1;
        else vVisited[(cy - 1) * (width + 1) + vx] = 1;
        vx += DX[d];
        cy += DY[d];
        const nd = next(vx, cy, d);
        if (nd !== d) ring.push([vx, cy]);
        if (vx === sx && cy === sy && nd === startDir) break;
        d = nd;
      }
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i];
        const b = ring[(i + 1) % ring.length];
        area2 += a[0] * b[1] - b[0] * a[1];
      }
      ring.push([ring[0][0], ring[0][1]]);
      emit(ring, label, area2 > 0);
    }
  }
}
