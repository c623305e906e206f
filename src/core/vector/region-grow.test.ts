import { describe, expect, it } from 'vitest';
import { iou, makeScene } from '../../../tests/vector-export/synthetic-scene';
import { regionGrow } from './region-grow';

describe('regionGrow', () => {
  const scene = makeScene({ width: 160, height: 128 });
  const { width, height, bands } = scene;
  const disc = scene.shapes[0];

  it('is deterministic', () => {
    const a = regionGrow(bands, width, height, [{ ...disc.seed, label: 1 }]);
    const b = regionGrow(bands, width, height, [{ ...disc.seed, label: 1 }]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(iou(a, disc.truth)).toBeGreaterThan(0.9);
  });

  it('caps the area and returns an empty mask without positive seeds', () => {
    const capped = regionGrow(bands, width, height, [{ ...disc.seed, label: 1 }], {
      maxAreaPx: 200,
      maxHolePx: 0,
    });
    // the two boundary passes may add at most two rings of pixels around the capped region
    expect(capped.reduce((s, v) => s + v, 0)).toBeLessThan(200 + 2 * 4 * 30);
    expect(regionGrow(bands, width, height, [{ ...disc.seed, label: 0 }]).some((v) => v)).toBe(false);
  });

  it('never grows into a blocked negative seed', () => {
    const m = regionGrow(bands, width, height, [
      { ...disc.seed, label: 1 },
      { x: disc.seed.x + 5, y: disc.seed.y, label: 0 },
    ]);
    expect(m[disc.seed.y * width + disc.seed.x + 5]).toBe(0);
  });

  it('rejects seeds outside the raster', () => {
    expect(() => regionGrow(bands, width, height, [{ x: width, y: 0, label: 1 }])).toThrow(/outside/);
  });
});
