import type { Point, PolygonRings, Ring } from './types';

/** Shoelace area of a closed ring (positive for exterior rings in pixel space, see types.ts). */
export function ringSignedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

function orient(a: Point, b: Point, c: Point): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(p: Point, a: Point, b: Point): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/**
 * How two segments meet: 'none'; 'touch' (a single shared point); 'cross' (a proper crossing
 * or a collinear overlap of positive length). Exact for integer coordinates, which is what
 * mask rings and their Douglas-Peucker subsets have.
 */
export function segmentContact(p1: Point, p2: Point, q1: Point, q2: Point): 'none' | 'touch' | 'cross' {
  const d1 = orient(q1, q2, p1);
  const d2 = orient(q1, q2, p2);
  const d3 = orient(p1, p2, q1);
  const d4 = orient(p1, p2, q2);
  if (d1 * d2 < 0 && d3 * d4 < 0) return 'cross';
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // collinear: project on the dominant axis and measure the overlap
    const ax = Math.abs(p2[0] - p1[0]) >= Math.abs(p2[1] - p1[1]) ? 0 : 1;
    const lo = Math.max(Math.min(p1[ax], p2[ax]), Math.min(q1[ax], q2[ax]));
    const hi = Math.min(Math.max(p1[ax], p2[ax]), Math.max(q1[ax], q2[ax]));
    return hi > lo ? 'cross' : hi === lo ? 'touch' : 'none';
  }
  if (
    (d1 === 0 && onSegment(p1, q1, q2)) ||
    (d2 === 0 && onSegment(p2, q1, q2)) ||
    (d3 === 0 && onSegment(q1, p1, p2)) ||
    (d4 === 0 && onSegment(q2, p1, p2))
  )
    return 'touch';
  return 'none';
}

interface Seg {
  ring: number;
  i: number;
  n: number; // segments in the ring
  a: Point;
  b: Point;
  minX: number;
  maxX: number;
}

/**
 * Finds rings that break validity when taken together: a ring that touches itself or
 * backtracks, or two rings that cross or share an edge. Touching at single points between
 * different rings is allowed (OGC). Sweep over x, so near-linear for pixel outlines.
 * @returns indices (into `rings`) of offending rings, empty when all is well.
 */
export function findRingConflicts(rings: Ring[]): number[] {
  const segs: Seg[] = [];
  const bad = new Set<number>();
  rings.forEach((ring, r) => {
    const n = ring.length - 1;
    if (n < 3 || ring[0][0] !== ring[n][0] || ring[0][1] !== ring[n][1] || ringSignedArea(ring) === 0)
      bad.add(r);
    for (let i = 0; i < n; i++) {
      const a = ring[i];
      const b = ring[i + 1];
      if (a[0] === b[0] && a[1] === b[1]) bad.add(r); // repeated vertex
      segs.push({ ring: r, i, n, a, b, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]) });
    }
  });
  segs.sort((s, t) => s.minX - t.minX);
  // The x-sweep runs per horizontal band of the rings' extent: a speckled outline has hundreds
  // of segments per column, a band only a few. A segment is in every band its y-range meets;
  // a pair is examined only in the band holding the lower end of their common y-range, so
  // each candidate pair is tested exactly once, as by one sweep over everything.
  const N = segs.length;
  const minX = new Float64Array(N);
  const maxX = new Float64Array(N);
  const minY = new Float64Array(N);
  const maxY = new Float64Array(N);
  let y0 = Infinity;
  let y1 = -Infinity;
  segs.forEach((s, k) => {
    minX[k] = s.minX;
    maxX[k] = s.maxX;
    minY[k] = Math.min(s.a[1], s.b[1]);
    maxY[k] = Math.max(s.a[1], s.b[1]);
    if (minY[k] < y0) y0 = minY[k];
    if (maxY[k] > y1) y1 = maxY[k];
  });
  const nb = N < 256 ? 1 : Math.min(1024, Math.floor(Math.sqrt(N) / 4));
  const bh = (y1 - y0) / nb || 1;
  const band = (y: number) => Math.min(nb - 1, Math.floor((y - y0) / bh));
  const start = new Int32Array(nb + 1);
  for (let k = 0; k < N; k++) for (let b = band(minY[k]); b <= band(maxY[k]); b++) start[b + 1]++;
  for (let b = 0; b < nb; b++) start[b + 1] += start[b];
  const members = new Int32Array(start[nb]);
  const fill = start.slice(0, nb);
  // Filled in sorted order, so each band's list is sorted by minX too.
  for (let k = 0; k < N; k++) for (let b = band(minY[k]); b <= band(maxY[k]); b++) members[fill[b]++] = k;
  for (let b = 0; b < nb; b++) {
    const end = start[b + 1];
    for (let u = start[b]; u < end; u++) {
      const k = members[u];
      const sMinY = minY[k];
      const sMaxY = maxY[k];
      const sMaxX = maxX[k];
      for (let v = u + 1; v < end; v++) {
        const m = members[v];
        if (minX[m] > sMaxX) break;
        if (maxY[m] < sMinY || minY[m] > sMaxY) continue;
        if (nb > 1 && band(Math.max(sMinY, minY[m])) !== b) continue;
        const s = segs[k];
        const t = segs[m];
        const contact = segmentContact(s.a, s.b, t.a, t.b);
        if (contact === 'none') continue;
        if (s.ring !== t.ring) {
          if (contact === 'cross') bad.add(s.ring).add(t.ring);
          continue;
        }
        const adjacent = (s.i + 1) % s.n === t.i || (t.i + 1) % s.n === s.i;
        // neighbours share one vertex by construction; anything more is a spike or self-touch
        if (!adjacent || contact === 'cross') bad.add(s.ring);
      }
    }
  }
  return [...bad].sort((x, y) => x - y);
}

/** Even-odd point-in-ring test; points on the boundary count as outside. */
export function pointInRing(p: Point, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (orient(a, b, p) === 0 && onSegment(p, a, b)) return false;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0])
      inside = !inside;
  }
  return inside;
}

/**
 * pointInRing for many points against one ring: the ring's edges bucketed by the unit rows
 * [k, k+1) their y-range meets, so a query scans only the edges that can cross its row
 * (same result as pointInRing: the crossing test and the on-boundary test only ever involve
 * edges whose y-range contains the point's y).
 */
function ringRowIndex(ring: Ring): (p: Point) => boolean {
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const q of ring) {
    if (q[1] < y0) y0 = q[1];
    if (q[1] > y1) y1 = q[1];
  }
  const base = Math.floor(y0);
  const rows: number[][] = Array.from({ length: Math.floor(y1) - base + 1 }, () => []);
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i][1];
    const b = ring[i + 1][1];
    for (let k = Math.floor(Math.min(a, b)) - base; k <= Math.floor(Math.max(a, b)) - base; k++)
      rows[k].push(i);
  }
  return (p) => {
    const k = Math.floor(p[1]) - base;
    if (k < 0 || k >= rows.length) return false;
    let inside = false;
    for (const i of rows[k]) {
      const a = ring[i + 1];
      const b = ring[i];
      if (orient(a, b, p) === 0 && onSegment(p, a, b)) return false;
      if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0])
        inside = !inside;
    }
    return inside;
  };
}

/** A point inside `ring` near its first edge, for containment tests between non-crossing rings. */
function probePoint(ring: Ring): Point {
  // Midpoint of an edge nudged to the interior side (orientation tells which side that is).
  const sign = ringSignedArea(ring) > 0 ? 1 : -1;
  const a = ring[0];
  const b = ring[1];
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  const eps = 1e-6;
  // Interior is on the right of the walk for positive rings in y-down space.
  return [
    (a[0] + b[0]) / 2 - (sign * eps * (b[1] - a[1])) / len,
    (a[1] + b[1]) / 2 + (sign * eps * (b[0] - a[0])) / len,
  ];
}

/**
 * Validity of polygon parts made of pixel-space rings (types.ts conventions): every ring
 * simple, no crossings or shared edges between any rings of any part, exteriors positive,
 * holes negative, each hole inside its exterior. Parts of one MultiPolygon are checked
 * together so that simplification cannot make them overlap.
 */
export function isValidPolygons(parts: PolygonRings[]): boolean {
  const all = parts.flat();
  if (findRingConflicts(all).length > 0) return false;
  for (const [exterior, ...holes] of parts) {
    if (!exterior || ringSignedArea(exterior) <= 0) return false;
    // Thousands of holes (speckled masks) against a long exterior: index the exterior once.
    const inside = holes.length > 16 ? ringRowIndex(exterior) : (p: Point) => pointInRing(p, exterior);
    for (const h of holes) if (ringSignedArea(h) >= 0 || !inside(probePoint(h))) return false;
  }
  return true;
}
