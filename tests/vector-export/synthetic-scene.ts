/**
 * A generated 3-band scene with known shapes for region-growing tests: a textured, noisy
 * background and objects whose true masks are known exactly. Deterministic (seeded PRNG).
 */
import { mulberry32 } from '../support/prng';

export interface SceneShape {
  name: string;
  /** Ground-truth mask uint8[height*width]. */
  truth: Uint8Array;
  /** A pixel inside the shape to click. */
  seed: { x: number; y: number };
}

export interface Scene {
  width: number;
  height: number;
  /** float32[height*width] per band, reflectance-like 0..1. */
  bands: Float32Array[];
  shapes: SceneShape[];
}

type Inside = (x: number, y: number) => boolean;

/**
 * Builds the scene. `nearTwin` makes the right one of the two touching rectangles almost the
 * same colour as the left one (for negative-seed tests).
 */
export function makeScene(
  opts: { width?: number; height?: number; noise?: number; nearTwin?: boolean } = {},
): Scene {
  const width = opts.width ?? 320;
  const height = opts.height ?? 256;
  const noise = opts.noise ?? 0.02;
  const rnd = mulberry32(12345);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const disc =
    (cx: number, cy: number, r: number): Inside =>
    (x, y) =>
      (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r;
  const rect =
    (x0: number, y0: number, x1: number, y1: number): Inside =>
    (x, y) =>
      x >= x0 && x < x1 && y >= y0 && y < y1;
  const defs: { name: string; inside: Inside; colour: number[]; seed: { x: number; y: number } }[] = [
    { name: 'disc', inside: disc(60, 60, 22), colour: [0.6, 0.3, 0.2], seed: { x: 60, y: 60 } },
    { name: 'rectangle', inside: rect(150, 30, 210, 70), colour: [0.2, 0.2, 0.6], seed: { x: 180, y: 50 } },
    {
      name: 'annulus',
      inside: (x, y) => disc(265, 75, 40)(x, y) && !disc(265, 75, 16)(x, y),
      colour: [0.7, 0.7, 0.65],
      seed: { x: 293, y: 75 },
    },
    {
      name: 'edge-touching',
      inside: rect(0, 150, 30, 225),
      colour: [0.1, 0.5, 0.1],
      seed: { x: 12, y: 190 },
    },
    {
      name: 'touching-left',
      inside: rect(110, 150, 170, 215),
      colour: [0.55, 0.45, 0.15],
      seed: { x: 140, y: 182 },
    },
    {
      name: 'touching-right',
      inside: rect(170, 150, 235, 215),
      colour: opts.nearTwin ? [0.55, 0.47, 0.17] : [0.4, 0.55, 0.4],
      seed: { x: 205, y: 182 },
    },
  ];
  const bands = [0, 1, 2].map(() => new Float32Array(width * height));
  const shapes: SceneShape[] = defs.map((d) => ({
    name: d.name,
    truth: new Uint8Array(width * height),
    seed: d.seed,
  }));
  const bg = [0.3, 0.35, 0.25];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      // Texture: two crossed sinusoids (fields, furrows) plus pixel noise.
      const tex = 0.04 * Math.sin(x * 0.35) * Math.cos(y * 0.21) + 0.02 * Math.sin((x + y) * 0.9);
      let colour = bg.map((v) => v + tex);
      defs.forEach((d, i) => {
        if (d.inside(x, y)) {
          colour = d.colour;
          shapes[i].truth[p] = 1;
        }
      });
      for (let b = 0; b < 3; b++) bands[b][p] = colour[b] + noise * gauss();
    }
  }
  return { width, height, bands, shapes };
}

/** Intersection over union of two masks. */
export function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] !== 0;
    const y = b[i] !== 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}
