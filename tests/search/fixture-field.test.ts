import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessEngine } from '../../src/engine/engine-client';
import { readChunk } from '../../src/core/field/field-chunks';
import { openField } from '../../src/core/field/field-store';
import { encodePatches } from '../../src/core/inference/encode-images';
import { ModelRuntime } from '../../src/core/inference/model-runtime';
import { openScene } from '../../src/core/imagery/open-scene';
import type { Scene } from '../../src/core/imagery/scene';
import { loadPack, type Pack } from '../../src/core/packs/manifest';
import { fixturesDir } from '../../src/core/packs/pack-paths';
import { openSearch } from '../../src/core/search/open-search';
import { silentJobContext } from '../../src/core/jobs/job-types';
import { FIXTURE_PACK, SCENE_1M, ensureFixtures, tempDir } from './helpers';

const S = 224;
const P = 16;
const G = S / P;
/** float16 storage of unit vectors: half an ULP at 0.5..1 is 2^-12; ORT batch-shape noise is ~1e-6. */
const TOL = 5e-4;

/** Whole field decoded: float32[rows*cols*dim] and valid uint8[rows*cols]. */
async function readWhole(dir: string) {
  const f = await openField(dir);
  const { rows, cols, dim, chunkSize: cs } = f.meta;
  const data = new Float32Array(rows * cols * dim);
  const valid = new Uint8Array(rows * cols);
  for (let cr = 0; cr * cs < rows; cr++)
    for (let cc = 0; cc * cs < cols; cc++) {
      const ch = await readChunk(f, cr, cc);
      expect(ch, `chunk ${cr},${cc} complete`).not.toBeNull();
      for (let r = 0; r < ch!.h; r++)
        for (let c = 0; c < ch!.w; c++) {
          const cell = (cr * cs + r) * cols + cc * cs + c;
          valid[cell] = ch!.valid[r * ch!.w + c];
          data.set(ch!.data.subarray((r * ch!.w + c) * dim, (r * ch!.w + c + 1) * dim), cell * dim);
        }
    }
  return { meta: f.meta, data, valid };
}

/**
 * The reference: for each patch, THE chip that should own it (chips step by 14 − 2·margin
 * patches and keep their centre), read straight from the scene and run through the encoder
 * directly, normalised here. Independent of the indexer's chip/chunk bookkeeping.
 */
async function reference(scene: Scene, pack: Pack, rows: number, cols: number, margin: number) {
  const step = G - 2 * margin;
  const rt = new ModelRuntime({ batchSize: 8 });
  const dim = pack.manifest.embed_dim;
  const data = new Float32Array(rows * cols * dim);
  const valid = new Uint8Array(rows * cols);
  try {
    for (let i = 0; i * step < rows; i++)
      for (let j = 0; j * step < cols; j++) {
        const x = (j * step - margin) * P;
        const y = (i * step - margin) * P;
        const win = await scene.readWindow({ x, y, width: S, height: S }, { bands: ['R', 'G', 'B'] });
        const enc = await encodePatches(rt, pack, [
          { width: S, height: S, bands: { R: win.data[0], G: win.data[1], B: win.data[2] } },
        ]);
        for (let pr = margin; pr < margin + step; pr++)
          for (let pc = margin; pc < margin + step; pc++) {
            const r = i * step + pr - margin;
            const c = j * step + pc - margin;
            if (r >= rows || c >= cols) continue;
            let nValid = 0;
            for (let yy = pr * P; yy < (pr + 1) * P; yy++)
              for (let xx = pc * P; xx < (pc + 1) * P; xx++) nValid += win.valid[yy * S + xx];
            if (nValid < (P * P) / 2) continue;
            const v = enc.embeds.subarray((pr * G + pc) * dim, (pr * G + pc + 1) * dim);
            let ss = 0;
            for (const a of v) ss += a * a;
            const cell = r * cols + c;
            valid[cell] = 1;
            for (let d = 0; d < dim; d++) data[cell * dim + d] = v[d] / Math.sqrt(ss);
          }
      }
  } finally {
    await rt.dispose();
  }
  return { data, valid };
}

describe('indexing with a fixture pack equals per-chip inference done directly', () => {
  let scene: Scene;
  let pack: Pack;
  beforeAll(async () => {
    ensureFixtures();
    scene = await openScene([SCENE_1M]);
    pack = await loadPack(path.join(fixturesDir(), FIXTURE_PACK));
  });
  afterAll(() => scene?.close());

  for (const { margin, chipsPerChunk } of [
    { margin: 0, chipsPerChunk: 2 },
    { margin: 2, chipsPerChunk: 3 },
  ]) {
    it(`margin ${margin}, ${chipsPerChunk} chips per chunk side: no patch lost or duplicated at chip or chunk edges`, async () => {
      const dir = await tempDir('field');
      const engine = new InProcessEngine();
      const svc = await openSearch(dir, engine, { create: true });
      const { scene: sc } = await svc.addScene([SCENE_1M]);
      const sum = await svc.index(sc.id, FIXTURE_PACK, { margin, chipsPerChunk }, silentJobContext());
      const rows = Math.ceil(1100 / P);
      const cols = Math.ceil(1500 / P);
      expect(sum).toMatchObject({ rows, cols, gsdM: 1, resampled: false });
      if (margin === 0) expect(sum.chipsSkipped).toBe(1); // the all-nodata chip at chip row 0, col 2
      const got = await readWhole(sum.fieldDir);
      expect(got.meta.chunkSize).toBe((G - 2 * margin) * chipsPerChunk);
      expect(got.meta.geoTransform).toEqual([500000, 16, 0, 5250000, 0, -16]);
      const want = await reference(scene, pack, rows, cols, margin);
      expect(Array.from(got.valid)).toEqual(Array.from(want.valid));
      const nValid = want.valid.reduce((a, b) => a + b, 0);
      expect(nValid).toBeGreaterThan(rows * cols * 0.8);
      expect(nValid).toBeLessThan(rows * cols); // nodata chip and strip
      let worst = 0;
      for (let i = 0; i < want.data.length; i++)
        worst = Math.max(worst, Math.abs(got.data[i] - want.data[i]));
      expect(worst).toBeLessThan(TOL);
      engine.dispose();
    }, 120_000);
  }
});
