import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack, type Pack } from '../../src/core/packs/manifest';
import { ModelRuntime } from '../../src/core/inference/model-runtime';
import { encodeImages, encodePatches } from '../../src/core/inference/encode-images';
import { encodeText } from '../../src/core/inference/encode-text';
import type { Chip } from '../../src/core/inference/preprocess';
import { EMBED_DIMS, starterPatchEmbeddingsReference } from '../../src/core/starter-pack/starter-features';
import { ensureStarterPack, STARTER_VERSION } from '../../src/core/starter-pack/generate-starter-pack';
import { STARTER_CONCEPTS } from '../../src/core/starter-pack/starter-concepts';
import { tempStarter } from './helpers';

const S = 224;
const P = 16;
const dim = (name: (typeof EMBED_DIMS)[number]) => EMBED_DIMS.indexOf(name);

/** Deterministic PRNG (mulberry32) so the chip is the same every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Land-cover recipes in NAIP DN (R, G, B, NIR) with per-pixel noise amplitude. */
const COVERS: Record<string, { rgbn: [number, number, number, number]; noise: number; checker?: number }> = {
  water: { rgbn: [35, 55, 65, 18], noise: 3 },
  trees: { rgbn: [45, 70, 45, 140], noise: 35 },
  grass: { rgbn: [95, 135, 75, 210], noise: 4 },
  'bare soil': { rgbn: [165, 135, 105, 175], noise: 5 },
  buildings: { rgbn: [150, 150, 155, 140], noise: 10, checker: 90 },
  shadow: { rgbn: [12, 14, 18, 10], noise: 2 },
  cloud: { rgbn: [248, 248, 250, 245], noise: 2 },
};

/** A 224×224 NAIP chip whose 14×14 patches cycle through COVERS, plus the cover of each patch. */
function makeChip(seed = 1): { chip: Chip; covers: string[] } {
  const r = rng(seed);
  const names = Object.keys(COVERS);
  const bands = {
    R: new Float32Array(S * S),
    G: new Float32Array(S * S),
    B: new Float32Array(S * S),
    NIR: new Float32Array(S * S),
  };
  const planes = [bands.R, bands.G, bands.B, bands.NIR];
  const covers: string[] = [];
  for (let py = 0; py < S / P; py++)
    for (let px = 0; px < S / P; px++) {
      const name = names[(py * 3 + px) % names.length];
      covers.push(name);
      const c = COVERS[name];
      for (let y = py * P; y < py * P + P; y++)
        for (let x = px * P; x < px * P + P; x++) {
          const chk = c.checker && ((x >> 2) + (y >> 2)) % 2 ? -c.checker : 0;
          const n = (r() - 0.5) * 2 * c.noise;
          planes.forEach(
            (pl, b) => (pl[y * S + x] = Math.round(Math.min(255, Math.max(0, c.rgbn[b] + n + chk)))),
          );
        }
    }
  return { chip: { width: S, height: S, bands }, covers };
}

/** The normalised chip the way the README defines it: x = v / 255, planes R,G,B,NIR. */
function normalised(chip: Chip): Float32Array {
  const out = new Float32Array(4 * S * S);
  ['R', 'G', 'B', 'NIR'].forEach((b, c) => {
    const src = chip.bands[b];
    for (let i = 0; i < S * S; i++) out[c * S * S + i] = src ? src[i] / 255 : 0;
  });
  return out;
}

let tmp: string;
let naip: Pack;
let s2: Pack;
const rt = new ModelRuntime({ threads: 1, batchSize: 2 });

beforeAll(async () => {
  const t = await tempStarter();
  tmp = t.tmp;
  naip = await loadPack(t.naip);
  s2 = await loadPack(t.s2);
});
afterAll(async () => {
  await rt.dispose();
  await fs.rm(tmp, { recursive: true, force: true });
});

function maxAbsDiffPerDim(a: ArrayLike<number>, b: ArrayLike<number>, D: number): number[] {
  const m = new Array(D).fill(0);
  for (let i = 0; i < a.length; i++) m[i % D] = Math.max(m[i % D], Math.abs(a[i] - b[i]));
  return m;
}

describe('starter pack patch encoder', () => {
  it('ONNX Runtime output equals the TypeScript computation of the documented features', async () => {
    const { chip } = makeChip(7);
    const rgbOnly: Chip = { ...chip, bands: { R: chip.bands.R, G: chip.bands.G, B: chip.bands.B } };
    const enc = await encodePatches(rt, naip, [chip, rgbOnly, chip], undefined);
    expect(enc).toMatchObject({ n: 3, tokens: 196, dim: 12, grid: { rows: 14, cols: 14 }, provider: 'cpu' });
    const D = enc.dim;
    const per = 196 * D;
    for (const [k, c] of [chip, rgbOnly, chip].entries()) {
      const ref = starterPatchEmbeddingsReference(normalised(c), S, P);
      const diff = maxAbsDiffPerDim(enc.embeds.subarray(k * per, (k + 1) * per), ref, D);
      // float32 sums of 256 values in ONNX Runtime vs float64 here: relative error ~1e-6, so 1e-5
      // absolute on values of order 1 (x8 for texture). Cover fractions match exactly (thresholds
      // are applied to the same float32 per-pixel values).
      diff.forEach((d, i) => expect(d, `dim ${EMBED_DIMS[i]} of chip ${k}`).toBeLessThan(1e-5));
    }
    // RGB-only: NDVI, NDWI, NIR and water cover are exactly 0 (documented), not -1.
    const rgb = enc.embeds.subarray(per, 2 * per);
    for (let t = 0; t < 196; t++)
      for (const d of ['ndvi', 'ndwi', 'nir', 'water_cover', 'veg_cover'] as const)
        expect(rgb[t * D + dim(d)]).toBe(0);
  });

  it('the features mean what the README says on known land covers', async () => {
    const { chip, covers } = makeChip(3);
    const { embeds, dim: D } = await encodePatches(rt, naip, [chip]);
    const at = (t: number, d: (typeof EMBED_DIMS)[number]) => embeds[t * D + dim(d)];
    const first = (name: string) => covers.indexOf(name);
    expect(at(first('water'), 'ndwi')).toBeGreaterThan(0.3);
    expect(at(first('water'), 'water_cover')).toBe(1);
    expect(at(first('grass'), 'ndvi')).toBeGreaterThan(0.3);
    expect(at(first('trees'), 'texture')).toBeGreaterThan(at(first('grass'), 'texture'));
    expect(at(first('shadow'), 'dark_cover')).toBe(1);
    expect(at(first('cloud'), 'bright_cover')).toBe(1);
  });

  it('each test land cover is best matched by its own concept (text encoder through the concept tokenizer)', async () => {
    const { chip, covers } = makeChip(5);
    const { embeds, dim: D } = await encodePatches(rt, naip, [chip]);
    const names = Object.keys(COVERS);
    const text = await encodeText(rt, naip, names);
    for (const [ci, cover] of names.entries()) {
      const t = covers.indexOf(cover);
      const scores = names.map((_, qi) => {
        let s = 0;
        for (let d = 0; d < D; d++) s += embeds[t * D + d] * text.embeds[qi * D + d];
        return s;
      });
      const best = names[scores.indexOf(Math.max(...scores))];
      expect(
        best,
        `patch of ${cover}: scores ${scores.map((s, i) => `${names[i]}=${s.toFixed(2)}`).join(' ')}`,
      ).toBe(names[ci]);
    }
  });

  it('the sentinel-2 variant gives the same features for reflectance = DN/255 × 0.3', async () => {
    const { chip } = makeChip(11);
    const refl: Chip = {
      ...chip,
      bands: Object.fromEntries(
        Object.entries(chip.bands).map(([k, v]) => [
          k,
          Float32Array.from(v as Float32Array, (x) => (x / 255) * 0.3),
        ]),
      ),
    };
    const a = await encodePatches(rt, naip, [chip]);
    const b = await encodePatches(rt, s2, [refl]);
    maxAbsDiffPerDim(a.embeds, b.embeds, a.dim).forEach((d, i) =>
      expect(d, EMBED_DIMS[i]).toBeLessThan(1e-4),
    );
  });

  it('the image encoder is the mean of the patch embeddings', async () => {
    const { chip } = makeChip(2);
    const p = await encodePatches(rt, naip, [chip]);
    const im = await encodeImages(rt, naip, [chip]);
    for (let d = 0; d < p.dim; d++) {
      let s = 0;
      for (let t = 0; t < 196; t++) s += p.embeds[t * p.dim + d];
      expect(im.embeds[d]).toBeCloseTo(s / 196, 4);
    }
  });
});

describe('starter pack text encoder', () => {
  it('maps concept words and synonyms to the normalised sum of concept vectors', async () => {
    const concepts = JSON.parse(await fs.readFile(path.join(naip.dir, 'concepts.json'), 'utf8')).concepts as {
      name: string;
      vector: number[];
    }[];
    const v = (n: string) => concepts.find((c) => c.name === n)!.vector;
    const r = await encodeText(rt, naip, [
      'Ponds',
      'water and trees',
      'an area of Bare-Soil',
      'parking lots',
    ]);
    const expectRow = (row: number, vec: number[]) => {
      const norm = Math.hypot(...vec);
      vec.forEach((x, d) => expect(r.embeds[row * 12 + d]).toBeCloseTo(x / norm, 5));
    };
    expectRow(0, v('water'));
    expectRow(
      1,
      v('water').map((x, i) => x + v('trees')[i]),
    );
    expectRow(2, v('bare soil'));
    expectRow(3, v('roads'));
    expect(Array.from(r.inputIds.subarray(77, 80))).toEqual([1n, 4n, 0n]);
  });

  it('an unknown word is UNKNOWN_CONCEPT naming the vocabulary, not a random heatmap', async () => {
    const err = await encodeText(rt, naip, ['swimming pools']).catch((e) => e);
    expect(err.code).toBe('UNKNOWN_CONCEPT');
    expect(err.message).toMatch(
      /^unknown word\(s\) "swimming", "pools" in "swimming pools": the starter pack knows: water, pond, .*; install a GRAFT pack for open vocabulary$/,
    );
    expect(STARTER_CONCEPTS.every((c) => err.message.includes(c.name))).toBe(true);
  });
});

describe('ensureStarterPack', () => {
  it('generates once, keeps a current pack, and regenerates an older version', async () => {
    const dir = path.join(tmp, 'ensure');
    const [a] = await ensureStarterPack(dir);
    const m1 = (await fs.stat(path.join(a, 'manifest.json'))).mtimeMs;
    await ensureStarterPack(dir);
    expect((await fs.stat(path.join(a, 'manifest.json'))).mtimeMs).toBe(m1);
    const f = path.join(a, 'manifest.json');
    await fs.writeFile(
      f,
      (await fs.readFile(f, 'utf8')).replace(`"version": "${STARTER_VERSION}"`, '"version": "0.0.1"'),
    );
    await ensureStarterPack(dir);
    expect(JSON.parse(await fs.readFile(f, 'utf8')).version).toBe(STARTER_VERSION);
  });
});
