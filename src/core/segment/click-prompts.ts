import type { InstancePrompt } from './segment-types';

export interface ClickPoint {
  lon: number;
  lat: number;
  label: 0 | 1;
}

/**
 * Map clicks → prompts: each positive click is one object; each negative click is attached to
 * the nearest positive click (it says "not this" about that object).
 * @param fromWgs84 [lon, lat] → scene pixel-edge coordinates
 * @returns prompts with ids = the index of their positive click in `points`
 */
export function clickPrompts(
  points: ClickPoint[],
  fromWgs84: (lon: number, lat: number) => [number, number],
): InstancePrompt[] {
  const px = points.map((p) => fromWgs84(p.lon, p.lat));
  const prompts: InstancePrompt[] = [];
  points.forEach((p, i) => {
    if (p.label === 1)
      prompts.push({
        id: i,
        positive: { x: px[i][0], y: px[i][1] },
        negatives: [],
        score: null,
        meanScore: null,
        snapPx: 0,
      });
  });
  points.forEach((p, i) => {
    if (p.label !== 0 || prompts.length === 0) return;
    const [x, y] = px[i];
    const near = prompts.reduce((a, b) =>
      (b.positive.x - x) ** 2 + (b.positive.y - y) ** 2 < (a.positive.x - x) ** 2 + (a.positive.y - y) ** 2
        ? b
        : a,
    );
    near.negatives.push({ x, y });
  });
  return prompts;
}
