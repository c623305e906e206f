import type { InstanceMask, SceneMask } from './segment-types';

/** Pixels set in both masks and in either (scene pixel crops). */
export function overlapCounts(a: SceneMask, b: SceneMask): { inter: number; areaA: number; areaB: number } {
  const count = (m: SceneMask) => m.mask.reduce((s, v) => s + (v ? 1 : 0), 0);
  const areaA = count(a);
  const areaB = count(b);
  const x0 = Math.max(a.bbox[0], b.bbox[0]);
  const y0 = Math.max(a.bbox[1], b.bbox[1]);
  const x1 = Math.min(a.bbox[2], b.bbox[2]);
  const y1 = Math.min(a.bbox[3], b.bbox[3]);
  let inter = 0;
  const aw = a.bbox[2] - a.bbox[0];
  const bw = b.bbox[2] - b.bbox[0];
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++)
      if (a.mask[(y - a.bbox[1]) * aw + x - a.bbox[0]] && b.mask[(y - b.bbox[1]) * bw + x - b.bbox[0]])
        inter++;
  return { inter, areaA, areaB };
}

/** The union of two masks on their joint bbox. */
export function unionMasks(a: SceneMask, b: SceneMask): SceneMask {
  const bbox: [number, number, number, number] = [
    Math.min(a.bbox[0], b.bbox[0]),
    Math.min(a.bbox[1], b.bbox[1]),
    Math.max(a.bbox[2], b.bbox[2]),
    Math.max(a.bbox[3], b.bbox[3]),
  ];
  const w = bbox[2] - bbox[0];
  const mask = new Uint8Array(w * (bbox[3] - bbox[1]));
  for (const m of [a, b]) {
    const mw = m.bbox[2] - m.bbox[0];
    for (let y = m.bbox[1]; y < m.bbox[3]; y++)
      for (let x = m.bbox[0]; x < m.bbox[2]; x++)
        if (m.mask[(y - m.bbox[1]) * mw + x - m.bbox[0]]) mask[(y - bbox[1]) * w + x - bbox[0]] = 1;
  }
  return { bbox, mask };
}

const bboxesTouch = (a: SceneMask, b: SceneMask) =>
  a.bbox[0] < b.bbox[2] && b.bbox[0] < a.bbox[2] && a.bbox[1] < b.bbox[3] && b.bbox[1] < a.bbox[3];

/** Higher SAM IoU first, then higher score, then lower prompt id (deterministic). */
function priority(a: InstanceMask, b: InstanceMask): number {
  return (
    (b.samIou ?? -1) - (a.samIou ?? -1) ||
    (b.score ?? -Infinity) - (a.score ?? -Infinity) ||
    a.promptIds[0] - b.promptIds[0]
  );
}

const maxOrNull = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * Makes one instance per object:
 * 1. instances of the same prompt (an object cut by a window edge and segmented again in a
 *    window around it) are unioned, and so are instances of different prompts whose masks
 *    overlap with IoU > `mergeIou` (two detections on one pond, the same object seen from two
 *    windows): the union keeps the best score and SAM IoU and every prompt id;
 * 2. pixels still claimed by several instances go to the one with the higher SAM IoU (then
 *    score), so instances never overlap; instances left empty are dropped.
 * @returns instances ordered by priority (SAM IoU, score), none overlapping.
 */
export function mergeInstances(instances: InstanceMask[], mergeIou = 0.5): InstanceMask[] {
  // Copies: overlap resolution below edits masks in place.
  let list: InstanceMask[] = instances
    .filter((i) => i.mask.some((v) => v))
    .map((i) => ({ ...i, mask: i.mask.slice() }))
    .sort(priority);
  for (let changed = true; changed;) {
    changed = false;
    outer: for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        if (!bboxesTouch(a, b)) continue;
        const samePrompt = a.promptIds.some((id) => b.promptIds.includes(id));
        const { inter, areaA, areaB } = overlapCounts(a, b);
        if (!samePrompt && inter / (areaA + areaB - inter) <= mergeIou) continue;
        const u = unionMasks(a, b);
        list[i] = {
          ...a,
          ...u,
          promptIds: [...new Set([...a.promptIds, ...b.promptIds])].sort((x, y) => x - y),
          score: maxOrNull(a.score, b.score),
          meanScore: maxOrNull(a.meanScore, b.meanScore),
          samIou: maxOrNull(a.samIou, b.samIou),
          truncated: a.truncated && b.truncated,
          padded: a.padded || b.padded,
        };
        list.splice(j, 1);
        changed = true;
        break outer;
      }
  }
  list = list.sort(priority);
  // Contested pixels go to the earlier (higher priority) instance.
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i];
      const b = list[j];
      if (!bboxesTouch(a, b)) continue;
      const aw = a.bbox[2] - a.bbox[0];
      const bw = b.bbox[2] - b.bbox[0];
      for (let y = Math.max(a.bbox[1], b.bbox[1]); y < Math.min(a.bbox[3], b.bbox[3]); y++)
        for (let x = Math.max(a.bbox[0], b.bbox[0]); x < Math.min(a.bbox[2], b.bbox[2]); x++)
          if (a.mask[(y - a.bbox[1]) * aw + x - a.bbox[0]]) b.mask[(y - b.bbox[1]) * bw + x - b.bbox[0]] = 0;
    }
  return list.filter((i) => i.mask.some((v) => v));
}
