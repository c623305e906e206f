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
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k];
    const sMinY = Math.min(s.a[1], s.b[1]);
    const sMaxY = Math.max(s.a[1], s.b[1]);
    for (let m = k + 1; m < segs.length && segs[m].minX <= s.maxX; m++) {
      const t = segs[m];
      if (Math.max(t.a[1], t.b[1]) < sMinY || Math.min(t.a[1], t.b[1]) > sMaxY) continue;
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
    for (const h of holes) if (ringSignedArea(h) >= 0 || !pointInRing(probePoint(h), exterior)) return false;
  }
  return true;
}
