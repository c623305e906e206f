import type { SceneScores } from '../search/search-api';

type LonLat = [number, number];

/** A point of the grid quad at fractional grid position (s, t) ∈ [0,1]², bilinear in the corners (TL, TR, BR, BL). */
function at(corners: SceneScores['corners'], s: number, t: number): LonLat {
  const [tl, tr, br, bl] = corners;
  const w = [(1 - s) * (1 - t), s * (1 - t), s * t, (1 - s) * t];
  return [
    w[0] * tl[0] + w[1] * tr[0] + w[2] * br[0] + w[3] * bl[0],
    w[0] * tl[1] + w[1] * tr[1] + w[2] * br[1] + w[3] * bl[1],
  ];
}

/**
 * The patch under a WGS84 point as a closed ring (WGS84), from a result scene's patch-grid
 * corners — the same quad the heatmap image is drawn on, so the square sits on the heatmap cell.
 * The grid is affine in the scene's CRS; over a few km its WGS84 quad is affine to well under a
 * patch, so the point is located with the TL→TR / TL→BL axes and the ring is bilinear in the corners.
 * Null when the point is off the grid.
 */
export function patchFootprint(
  scene: Pick<SceneScores, 'rows' | 'cols' | 'corners'>,
  lon: number,
  lat: number,
): { row: number; col: number; ring: LonLat[] } | null {
  const [tl, tr, , bl] = scene.corners;
  const ax = tr[0] - tl[0];
  const ay = tr[1] - tl[1];
  const bx = bl[0] - tl[0];
  const by = bl[1] - tl[1];
  const det = ax * by - ay * bx;
  if (!det) return null;
  const px = lon - tl[0];
  const py = lat - tl[1];
  // (px, py) = s·a + t·b
  const s = (px * by - py * bx) / det;
  const t = (ax * py - ay * px) / det;
  if (s < 0 || t < 0 || s >= 1 || t >= 1) return null;
  const col = Math.floor(s * scene.cols);
  const row = Math.floor(t * scene.rows);
  const s0 = col / scene.cols;
  const s1 = (col + 1) / scene.cols;
  const t0 = row / scene.rows;
  const t1 = (row + 1) / scene.rows;
  const ring = [
    at(scene.corners, s0, t0),
    at(scene.corners, s1, t0),
    at(scene.corners, s1, t1),
    at(scene.corners, s0, t1),
  ];
  return { row, col, ring: [...ring, ring[0]] };
}

/** The first result scene whose patch grid holds the point, with the patch there. */
export function footprintIn(
  scenes: readonly Pick<SceneScores, 'sceneId' | 'rows' | 'cols' | 'corners'>[],
  lon: number,
  lat: number,
) {
  for (const sc of scenes) {
    const f = patchFootprint(sc, lon, lat);
    if (f) return { sceneId: sc.sceneId, ...f };
  }
  return null;
}
