import { AppError } from '../../shared/errors';
import { findRingConflicts, isValidPolygons, ringSignedArea } from './ring-validity';
import type { Point, PolygonRings, Ring } from './types';

const key = (p: Point): string => `${p[0]},${p[1]}`;

/** Squared distance from p to segment ab. */
function segDist2(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const ex = a[0] + t * dx - p[0];
  const ey = a[1] + t * dy - p[1];
  return ex * ex + ey * ey;
}

/** Douglas-Peucker on an open run pts[lo..hi], marking kept indices in `keep`. */
function douglasPeucker(pts: Point[], lo: number, hi: number, tol2: number, keep: Uint8Array): void {
  const stack: number[] = [lo, hi];
  while (stack.length > 0) {
    const h = stack.pop()!;
    const l = stack.pop()!;
    let best = -1;
    let bestD = tol2;
    for (let i = l + 1; i < h; i++) {
      const d = segDist2(pts[i], pts[l], pts[h]);
      if (d > bestD) {
        bestD = d;
        best = i;
      }
    }
    if (best >= 0) {
      keep[best] = 1;
      stack.push(l, best, best, h);
    }
  }
}

function dpRing(ring: Ring, tolPx: number, pinned: Set<string>): Ring {
  const pts = ring.slice(0, -1);
  const n = pts.length;
  if (n <= 4 || tolPx <= 0) return ring.map((p) => [p[0], p[1]]);
  const keep = new Uint8Array(n);
  // Anchors: pinned vertices (where rings touch), vertex 0 and the vertex farthest from it.
  keep[0] = 1;
  let far = 0;
  let farD = -1;
  for (let i = 0; i < n; i++) {
    const d = (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2;
    if (d > farD) {
      farD = d;
      far = i;
    }
    if (pinned.has(key(pts[i]))) keep[i] = 1;
  }
  keep[far] = 1;
  const anchors: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) anchors.push(i);
  const closed = [...pts, pts[0]];
  for (let k = 0; k < anchors.length; k++) {
    const lo = anchors[k];
    const hi = k + 1 < anchors.length ? anchors[k + 1] : n; // n is vertex 0 again
    douglasPeucker(closed, lo, hi, tolPx * tolPx, keep);
  }
  const out: Ring = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push([pts[i][0], pts[i][1]]);
  out.push([out[0][0], out[0][1]]);
  return out;
}

function tolerancePx(toleranceM: number, pixelSizeM: number): number {
  if (!(pixelSizeM > 0) || !(toleranceM >= 0))
    throw new AppError(
      'INVALID_INPUT',
      `simplify: tolerance ${toleranceM} m / pixel size ${pixelSizeM} m is not usable`,
    );
  return toleranceM / pixelSizeM;
}

/**
 * Douglas-Peucker simplification of one closed pixel-space ring.
 * @param toleranceM maximum distance (metres) a removed vertex may lie from the result.
 * @param pixelSizeM ground size of one pixel in metres (converts the tolerance to pixels).
 * @param pinned vertices ("x,y") that must survive, e.g. where the ring touches another ring.
 * @returns the simplified ring, or a copy of the input when simplification would leave a
 *   ring that is not simple, collapses, or flips orientation.
 */
export function simplifyRing(
  ring: Ring,
  toleranceM: number,
  pixelSizeM: number,
  pinned = new Set<string>(),
): Ring {
  return (
    trySimplify(ring, tolerancePx(toleranceM, pixelSizeM), pinned) ?? ring.map((p): Point => [p[0], p[1]])
  );
}

/** The simplified ring, or null when it is not simple, collapses or flips orientation. */
function trySimplify(ring: Ring, tolPx: number, pinned: Set<string>): Ring | null {
  const out = dpRing(ring, tolPx, pinned);
  const a0 = ringSignedArea(ring);
  const a1 = ringSignedArea(out);
  if (out.length < 4 || Math.sign(a0) !== Math.sign(a1) || findRingConflicts([out]).length > 0) return null;
  return out;
}

/**
 * Simplifies all rings of an object's polygon parts together so the result stays valid:
 * vertices where rings touch are pinned, then any ring whose simplified form crosses
 * another ring (or itself) is put back unsimplified, repeatedly; as a last resort the
 * unsimplified input is returned. Validity is checked with `isValidPolygons`.
 * @param parts pixel-space polygons of one object ([exterior, ...holes] each).
 */
export function simplifyPolygons(
  parts: PolygonRings[],
  toleranceM: number,
  pixelSizeM: number,
): PolygonRings[] {
  const tol = tolerancePx(toleranceM, pixelSizeM);
  const seen = new Map<string, number>();
  const all = parts.flat();
  all.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const k = key(ring[i]);
      const prev = seen.get(k);
      seen.set(k, prev === undefined ? r : prev === r ? r : -1);
    }
  });
  const pinned = new Set([...seen].filter(([, r]) => r === -1).map(([k]) => k));
  const simplified = all.map((ring) => (tol > 0 ? (trySimplify(ring, tol, pinned) ?? ring) : ring));
  const rebuild = (rings: Ring[]): PolygonRings[] => {
    let k = 0;
    return parts.map((p) => p.map(() => rings[k++]));
  };
  for (let attempt = 0; attempt <= all.length; attempt++) {
    const candidate = rebuild(simplified);
    if (isValidPolygons(candidate)) return candidate;
    const conflicts = findRingConflicts(simplified).filter((r) => simplified[r] !== all[r]);
    if (conflicts.length === 0) break;
    for (const r of conflicts) simplified[r] = all[r];
  }
  return parts.map((p) => p.map((ring) => ring.map((q): Point => [q[0], q[1]])));
}
