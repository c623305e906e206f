import type { GridMultiPolygon, GridRing } from './detection-types';

// Directions in grid coordinates (x = column, y = row, y down), clockwise on screen.
const DX = [1, 0, -1, 0]; // E, S, W, N
const DY = [0, 1, 0, -1];

/**
 * Outline of the union of a set of patch squares, by boundary tracing: every cell side between
 * a member and a non-member is a directed edge with the member on its right (on screen), and
 * edges are chained into rings. At a vertex where two members touch only diagonally the trace
 * turns right (towards the member it came along), so such cells become separate polygons; a
 * ring that still passes a vertex twice (a hole touching its shell at a corner) is cut there
 * into simple rings, so the result is valid OGC/GeoJSON (checked with GEOS in the tests).
 * Holes are kept. Collinear vertices are dropped.
 * Orientation: outer rings run clockwise on the y-down grid, holes counter-clockwise; after a
 * north-up geotransform (negative pixel height) that is RFC 7946's CCW outer / CW holes.
 * @param cells grid indices (row * cols + col)
 * @param cols grid width
 * @returns MultiPolygon coordinates in grid units (cell (r, c) is the square [c, c+1] x [r, r+1])
 */
export function cellsToPolygon(cells: ArrayLike<number>, cols: number): GridMultiPolygon {
  if (cells.length === 0) return [];
  let r0 = Infinity;
  let c0 = Infinity;
  let r1 = -Infinity;
  let c1 = -Infinity;
  for (let i = 0; i < cells.length; i++) {
    const r = Math.floor(cells[i] / cols);
    const c = cells[i] - r * cols;
    r0 = Math.min(r0, r);
    r1 = Math.max(r1, r);
    c0 = Math.min(c0, c);
    c1 = Math.max(c1, c);
  }
  // Local mask with a one-cell empty border, so neighbours never fall outside it.
  const W = c1 - c0 + 3;
  const H = r1 - r0 + 3;
  const m = new Uint8Array(W * H);
  for (let i = 0; i < cells.length; i++) {
    const r = Math.floor(cells[i] / cols);
    m[(r - r0 + 1) * W + (cells[i] - r * cols - c0 + 1)] = 1;
  }
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < W && y < H && m[y * W + x] === 1;
  // Does the boundary edge leaving vertex (x, y) in direction d exist?
  const has = (x: number, y: number, d: number): boolean => {
    switch (d) {
      case 0:
        return inside(x, y) && !inside(x, y - 1); // top side of cell (x, y)
      case 1:
        return inside(x - 1, y) && !inside(x, y); // right side of cell (x-1, y)
      case 2:
        return inside(x - 1, y - 1) && !inside(x - 1, y); // bottom side of cell (x-1, y-1)
      default:
        return inside(x, y - 1) && !inside(x - 1, y - 1); // left side of cell (x, y-1)
    }
  };
  const VW = W + 1;
  const seen = new Uint8Array(VW * (H + 1) * 4);
  const outers: { ring: GridRing; area: number }[] = [];
  const holes: { ring: GridRing; probe: [number, number] }[] = [];
  for (let y = 0; y <= H; y++) {
    for (let x = 0; x <= W; x++) {
      for (let d0 = 0; d0 < 4; d0++) {
        if (seen[(y * VW + x) * 4 + d0] || !has(x, y, d0)) continue;
        const ring: GridRing = [];
        let cx = x;
        let cy = y;
        let d = d0;
        let prev = -1;
        do {
          seen[(cy * VW + cx) * 4 + d] = 1;
          if (d !== prev) ring.push([cx + c0 - 1, cy + r0 - 1]);
          prev = d;
          cx += DX[d];
          cy += DY[d];
          // Right turn first (the pinch rule), then straight, then left; never back.
          const right = (d + 1) & 3;
          d = has(cx, cy, right) ? right : has(cx, cy, d) ? d : (d + 3) & 3;
        } while (!(cx === x && cy === y && d === d0));
        if (ring.length > 1 && d0 === prev) ring.shift(); // start was mid-side: not a corner
        for (const simple of splitAtRepeats(ring)) {
          const a = signedArea(simple);
          if (a > 0) outers.push({ ring: simple, area: a });
          else holes.push({ ring: simple, probe: leftCellCentre(simple) });
        }
      }
    }
  }
  const polys: GridRing[][] = outers.map((o) => [o.ring]);
  for (const h of holes) {
    let best = -1;
    for (let i = 0; i < outers.length; i++) {
      if (pointInRing(h.probe, outers[i].ring) && (best < 0 || outers[i].area < outers[best].area)) best = i;
    }
    if (best >= 0) polys[best].push(h.ring);
  }
  return polys;
}

/**
 * Where a hole touches the outer boundary at a vertex (background cells meeting diagonally),
 * one traced ring passes that vertex twice; cut it there into simple rings (each is an outer
 * ring or a hole by its orientation). Input open (no closing vertex), output closed.
 */
function splitAtRepeats(ring: GridRing): GridRing[] {
  const out: GridRing[] = [];
  const stack: GridRing = [];
  const at = new Map<string, number>();
  for (const v of ring) {
    const key = `${v[0]},${v[1]}`;
    const k = at.get(key);
    if (k !== undefined) {
      const sub = stack.splice(k + 1);
      for (const u of sub) at.delete(`${u[0]},${u[1]}`);
      out.push(closeRing([stack[k], ...sub]));
    } else {
      at.set(key, stack.length);
      stack.push(v);
    }
  }
  out.push(closeRing(stack));
  return out;
}

/** Drops vertices between two collinear sides and repeats the first vertex at the end. */
function closeRing(ring: GridRing): GridRing {
  const n = ring.length;
  const out: GridRing = [];
  for (let i = 0; i < n; i++) {
    const [px, py] = ring[(i + n - 1) % n];
    const [x, y] = ring[i];
    const [nx, ny] = ring[(i + 1) % n];
    if ((x - px) * (ny - y) - (y - py) * (nx - x) !== 0) out.push([x, y]);
  }
  out.push([out[0][0], out[0][1]]);
  return out;
}

/** Centre of the cell left of the ring's first unit side: for a hole, a background cell inside it. */
function leftCellCentre(ring: GridRing): [number, number] {
  const [x0, y0] = ring[0];
  const dx = Math.sign(ring[1][0] - x0);
  const dy = Math.sign(ring[1][1] - y0);
  return [x0 + dx / 2 + dy / 2, y0 + dy / 2 - dx / 2];
}

/** Shoelace area in grid units; positive for rings clockwise on the y-down grid. */
export function signedArea(ring: GridRing): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

/** Even-odd ray casting; `ring` closed. */
export function pointInRing(p: [number, number], ring: GridRing): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
