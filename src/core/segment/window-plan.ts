import type { InstancePrompt, SceneWindow } from './segment-types';

/** SAM's input is 1024 px: a window of 1024 scene pixels is encoded at native resolution. */
export const DEFAULT_WINDOW_PX = 1024;
/** Neighbouring grid windows overlap by this much, so every point has >= OVERLAP/2 of margin. */
export const DEFAULT_OVERLAP_PX = 256;

/** Window origins along one axis: 0, stride, …, the last one flush with the raster end. */
function origins(extent: number, size: number, stride: number): number[] {
  if (extent <= size) return [0];
  const out: number[] = [];
  for (let o = 0; o + size < extent; o += stride) out.push(o);
  out.push(extent - size);
  return [...new Set(out)];
}

/** Distance (pixels) from (x, y) to the nearest window edge that is not a raster edge. */
export function innerMargin(win: SceneWindow, x: number, y: number, width: number, height: number): number {
  const d: number[] = [];
  if (win.x > 0) d.push(x - win.x);
  if (win.y > 0) d.push(y - win.y);
  if (win.x + win.width < width) d.push(win.x + win.width - x);
  if (win.y + win.height < height) d.push(win.y + win.height - y);
  return d.length ? Math.min(...d) : Infinity;
}

/**
 * The scene's window grid: `size` × `size` scene pixels (or the whole raster when it is
 * smaller), overlapping by `overlap`, the last row/column flush with the raster edge so no
 * grid window reaches past the raster. Deterministic, so SAM embeddings cached per window are
 * reused by every later click in it.
 */
export function windowGrid(
  width: number,
  height: number,
  size = DEFAULT_WINDOW_PX,
  overlap = DEFAULT_OVERLAP_PX,
): SceneWindow[] {
  const w = Math.min(size, width);
  const h = Math.min(size, height);
  const stride = Math.max(1, size - overlap);
  const out: SceneWindow[] = [];
  for (const y of origins(height, h, stride))
    for (const x of origins(width, w, stride)) out.push({ x, y, width: w, height: h });
  return out;
}

/**
 * Assigns each prompt to the grid window where its positive point lies farthest from an inner
 * window edge (objects are least likely to be cut there).
 * @returns windows that received prompts, each with its prompts (scene pixel coordinates).
 */
export function assignPrompts(
  prompts: InstancePrompt[],
  width: number,
  height: number,
  size = DEFAULT_WINDOW_PX,
  overlap = DEFAULT_OVERLAP_PX,
): { window: SceneWindow; prompts: InstancePrompt[] }[] {
  const grid = windowGrid(width, height, size, overlap);
  const byWindow = new Map<number, InstancePrompt[]>();
  for (const p of prompts) {
    let best = -1;
    let bestMargin = -Infinity;
    grid.forEach((win, i) => {
      const { x, y } = p.positive;
      if (x < win.x || y < win.y || x > win.x + win.width || y > win.y + win.height) return;
      const m = innerMargin(win, x, y, width, height);
      if (m > bestMargin) {
        bestMargin = m;
        best = i;
      }
    });
    if (best < 0) continue; // outside the raster: the caller rejects these before planning
    byWindow.set(best, [...(byWindow.get(best) ?? []), p]);
  }
  return [...byWindow].sort((a, b) => a[0] - b[0]).map(([i, ps]) => ({ window: grid[i], prompts: ps }));
}

/**
 * A window of `size` centred on a scene bbox (to re-segment an object cut by a window edge),
 * snapped to a 64-pixel grid (so repeats hit the embedding cache) and moved inside the raster
 * where the raster is large enough.
 */
export function windowAround(
  bbox: [number, number, number, number],
  width: number,
  height: number,
  size = DEFAULT_WINDOW_PX,
): SceneWindow {
  const w = Math.min(size, width);
  const h = Math.min(size, height);
  const snap = (v: number) => Math.round(v / 64) * 64;
  const cx = (bbox[0] + bbox[2]) / 2;
  const cy = (bbox[1] + bbox[3]) / 2;
  const x = Math.max(0, Math.min(width - w, snap(cx - w / 2)));
  const y = Math.max(0, Math.min(height - h, snap(cy - h / 2)));
  return { x, y, width: w, height: h };
}

/** Cache key of a window's pixels in one scene. */
export function windowKey(sceneId: string, win: SceneWindow): string {
  return `${sceneId}/${win.x},${win.y},${win.width}x${win.height}`;
}

/**
 * Where to look next for an object that is still cut after a window centred on it (larger
 * than a window): for each inner window edge the mask touches, a window centred on the middle
 * of the longest run of mask pixels along that edge, with that pixel as the new positive point
 * (it lies on the object and well inside the new window).
 * @param mask the instance's crop, bbox in scene pixels (half-open)
 */
export function cutFollowUps(
  mask: { bbox: [number, number, number, number]; mask: Uint8Array },
  win: SceneWindow,
  width: number,
  height: number,
  size = DEFAULT_WINDOW_PX,
): { window: SceneWindow; point: { x: number; y: number } }[] {
  const [x0, y0, x1, y1] = mask.bbox;
  const w = x1 - x0;
  const at = (x: number, y: number) => mask.mask[(y - y0) * w + x - x0] === 1;
  /** Middle of the longest run of mask pixels along a line of `n` pixels. */
  const middle = (n: number, on: (i: number) => boolean): number | null => {
    let best = -1;
    let bestLen = 0;
    for (let i = 0, run = 0; i <= n; i++) {
      if (i < n && on(i)) run++;
      else {
        if (run > bestLen) [best, bestLen] = [i - run, run];
        run = 0;
      }
    }
    return best < 0 ? null : best + (bestLen >> 1);
  };
  const out: { window: SceneWindow; point: { x: number; y: number } }[] = [];
  const add = (x: number, y: number) =>
    out.push({
      window: windowAround([x, y, x + 1, y + 1], width, height, size),
      point: { x: x + 0.5, y: y + 0.5 },
    });
  const col = (x: number) => middle(y1 - y0, (i) => at(x, y0 + i));
  const row = (y: number) => middle(x1 - x0, (i) => at(x0 + i, y));
  if (x0 === win.x && win.x > 0) {
    const m = col(x0);
    if (m !== null) add(x0, y0 + m);
  }
  if (x1 === win.x + win.width && x1 < width) {
    const m = col(x1 - 1);
    if (m !== null) add(x1 - 1, y0 + m);
  }
  if (y0 === win.y && win.y > 0) {
    const m = row(y0);
    if (m !== null) add(x0 + m, y0);
  }
  if (y1 === win.y + win.height && y1 < height) {
    const m = row(y1 - 1);
    if (m !== null) add(x0 + m, y1 - 1);
  }
  return out;
}
