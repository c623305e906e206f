import { describe, expect, it } from 'vitest';
import { regionGrow } from '../../src/core/vector/region-grow';
import { iou, makeScene } from './synthetic-scene';

describe('regionGrow on a generated scene with known shapes', () => {
  const scene = makeScene();
  const { width, height, bands } = scene;

  for (const shape of scene.shapes) {
    it(`${shape.name}: IoU >= 0.9 from one click`, () => {
      const mask = regionGrow(bands, width, height, [{ ...shape.seed, label: 1 }]);
      const v = iou(mask, shape.truth);
      console.log(`region-grow ${shape.name}: IoU ${v.toFixed(4)}`);
      expect(v).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('annulus keeps its hole (larger than maxHolePx)', () => {
    const ann = scene.shapes.find((s) => s.name === 'annulus')!;
    const mask = regionGrow(bands, width, height, [{ ...ann.seed, label: 1 }]);
    expect(mask[75 * width + 265]).toBe(0);
  });

  it('a negative click separates two touching shapes of nearly the same colour', () => {
    const twin = makeScene({ nearTwin: true });
    const [left, right] = twin.shapes.slice(4);
    const merged = regionGrow(twin.bands, width, height, [{ ...left.seed, label: 1 }]);
    const split = regionGrow(twin.bands, width, height, [
      { ...left.seed, label: 1 },
      { ...right.seed, label: 0 },
    ]);
    const before = iou(merged, left.truth);
    const after = iou(split, left.truth);
    console.log(
      `near-twin touching shapes: IoU without negative seed ${before.toFixed(4)}, with ${after.toFixed(4)}`,
    );
    expect(before).toBeLessThan(0.9); // they do merge without the negative click
    expect(after).toBeGreaterThanOrEqual(0.9);
  });
});
