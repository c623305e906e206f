import fs from 'node:fs/promises';
import path from 'node:path';
import { booleanIntersects, polygon } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessEngine } from '../../src/engine/engine-client';
import { encodeImages } from '../../src/core/inference/encode-images';
import { encodeText } from '../../src/core/inference/encode-text';
import { ModelRuntime } from '../../src/core/inference/model-runtime';
import { openScene } from '../../src/core/imagery/open-scene';
import type { Scene } from '../../src/core/imagery/scene';
import { silentJobContext } from '../../src/core/jobs/job-types';
import { loadPack, type Pack } from '../../src/core/packs/manifest';
import { fixturesDir } from '../../src/core/packs/pack-paths';
import { openSearch } from '../../src/core/search/open-search';
import type { SearchService } from '../../src/core/search/search-service';
import type { RetrievedChip } from '../../src/shared/contract/search';
import { FIXTURE_PACK, SCENE_1M, ensureFixtures, listFiles, runCli, tempDir } from '../search/helpers';

const S = 224;
const P = 16;
const G = S / P;
const MARGIN = 2;
const STEP = G - 2 * MARGIN;
const ROWS = Math.ceil(1100 / P);
const COLS = Math.ceil(1500 / P);
const TEXT = 'a pond';
/**
 * Scores are cosines of a float32 unit text vector with float16-stored unit chip vectors: each
 * component is off by at most 2^-11 relative, so the dot product by at most ~4.9e-4.
 */
const TOL = 1e-3;

interface RefChip {
  row: number;
  col: number;
  score: number;
}

/**
 * The reference, independent of the indexer's chunk bookkeeping: every chip of the grid read
 * straight from the scene, kept when a kept patch has data and at least half its patches do
 * (src/core/retrieve/chip-field.ts), encoded one by one with the image encoder, cosine with the
 * text embedding, sorted.
 */
async function reference(scene: Scene, pack: Pack): Promise<RefChip[]> {
  const rt = new ModelRuntime({ batchSize: 8 });
  try {
    const t = (await encodeText(rt, pack, [TEXT])).embeds;
    const tn = Math.hypot(...t);
    const out: RefChip[] = [];
    for (let i = 0; i * STEP < ROWS; i++)
      for (let j = 0; j * STEP < COLS; j++) {
        const win = await scene.readWindow(
          { x: (j * STEP - MARGIN) * P, y: (i * STEP - MARGIN) * P, width: S, height: S },
          { bands: ['R', 'G', 'B'] },
        );
        let nValid = 0;
        let keptValid = false;
        for (let pr = 0; pr < G; pr++)
          for (let pc = 0; pc < G; pc++) {
            let n = 0;
            for (let y = pr * P; y < (pr + 1) * P; y++)
              for (let x = pc * P; x < (pc + 1) * P; x++) n += win.valid[y * S + x];
            if (n < (P * P) / 2) continue;
            nValid++;
            const r = i * STEP + pr - MARGIN;
            const c = j * STEP + pc - MARGIN;
            if (
              pr >= MARGIN &&
              pc >= MARGIN &&
              pr < MARGIN + STEP &&
              pc < MARGIN + STEP &&
              r < ROWS &&
              c < COLS
            )
              keptValid = true;
          }
        if (!keptValid || nValid < (G * G) / 2) continue;
        const v = (
          await encodeImages(rt, pack, [
            { width: S, height: S, bands: { R: win.data[0], G: win.data[1], B: win.data[2] } },
          ])
        ).embeds;
        let dot = 0;
        for (let d = 0; d < v.length; d++) dot += v[d] * t[d];
        out.push({ row: i, col: j, score: dot / (Math.hypot(...v) * tn) });
      }
    return out.sort((a, b) => b.score - a.score);
  } finally {
    await rt.dispose();
  }
}

describe('chip retrieval with the fixture CLIP pack equals per-chip image encoding done directly', () => {
  let scene: Scene;
  let pack: Pack;
  let dir: string;
  let engine: InProcessEngine;
  let svc: SearchService;
  let fieldDir: string;
  let all: RetrievedChip[];
  let ref: RefChip[];

  beforeAll(async () => {
    ensureFixtures();
    scene = await openScene([SCENE_1M]);
    pack = await loadPack(path.join(fixturesDir(), FIXTURE_PACK));
    dir = await tempDir('retrieve');
    engine = new InProcessEngine();
    svc = await openSearch(dir, engine, { create: true });
    const { scene: sc } = await svc.addScene([SCENE_1M]);
    const sum = await svc.index(
      sc.id,
      FIXTURE_PACK,
      { margin: MARGIN, chipsPerChunk: 3 },
      silentJobContext(),
    );
    fieldDir = sum.fieldDir;
    expect(sum.chipFieldDir).toBe(path.join(fieldDir, 'chips'));
    ref = await reference(scene, pack);
    all = (await svc.retrieveChips({ text: TEXT, topK: 10_000 })).chips;
  }, 180_000);
  afterAll(() => {
    scene?.close();
    engine?.dispose();
  });

  it('ranks the same chips with the same scores (float16 tolerance); top-K is a prefix', async () => {
    expect(ref.length).toBeGreaterThan(40); // 7x10 chips minus nodata and mostly-nodata edge chips
    expect(ref.length).toBeLessThan(70);
    expect(
      ref[0].score - ref[ref.length - 1].score,
      'scores spread well beyond the tolerance: the order is tested',
    ).toBeGreaterThan(20 * TOL);
    expect(all.map((c) => `${c.row},${c.col}`).sort()).toEqual(ref.map((c) => `${c.row},${c.col}`).sort());
    const refScore = new Map(ref.map((c) => [`${c.row},${c.col}`, c.score]));
    all.forEach((c, k) => {
      expect(Math.abs(c.score - refScore.get(`${c.row},${c.col}`)!), `chip ${c.row},${c.col}`).toBeLessThan(
        TOL,
      );
      expect(Math.abs(c.score - ref[k].score), `rank ${k}`).toBeLessThan(TOL);
    });
    // Order: a pair may only be swapped where the reference scores are within the storage error.
    for (let k = 1; k < all.length; k++)
      expect(refScore.get(`${all[k - 1].row},${all[k - 1].col}`)!).toBeGreaterThan(
        refScore.get(`${all[k].row},${all[k].col}`)! - 2 * TOL,
      );
    const top = await svc.retrieveChips({ text: TEXT, topK: 5 });
    expect(top.chips).toEqual(all.slice(0, 5));
    expect(top).toMatchObject({ packId: FIXTURE_PACK, query: TEXT, chipsSearched: ref.length });
  });

  it('footprints are the chip windows (margin included, clipped to the grid) in WGS84', () => {
    for (const c of all) {
      const x0 = Math.max(0, (c.col * STEP - MARGIN) * P);
      const y0 = Math.max(0, (c.row * STEP - MARGIN) * P);
      const x1 = Math.min(COLS * P, (c.col * STEP - MARGIN) * P + S);
      const y1 = Math.min(ROWS * P, (c.row * STEP - MARGIN) * P + S);
      const want = [
        scene.toWgs84(x0, y0),
        scene.toWgs84(x0, y1),
        scene.toWgs84(x1, y1),
        scene.toWgs84(x1, y0),
        scene.toWgs84(x0, y0),
      ];
      expect(c.footprint.type).toBe('Polygon');
      c.footprint.coordinates[0].forEach((p, i) => {
        expect(p[0]).toBeCloseTo(want[i][0], 9);
        expect(p[1]).toBeCloseTo(want[i][1], 9);
      });
      const mid = scene.toWgs84((x0 + x1) / 2, (y0 + y1) / 2);
      expect(c.centre[0]).toBeCloseTo(mid[0], 9);
      expect(c.centre[1]).toBeCloseTo(mid[1], 9);
    }
  });

  it('an ROI keeps exactly the chips whose footprint intersects it', async () => {
    // A triangle over part of the scene, edges oblique to the chip grid.
    const ring = [
      scene.toWgs84(300, 150),
      scene.toWgs84(1200, 420),
      scene.toWgs84(520, 900),
      scene.toWgs84(300, 150),
    ];
    const roi = { type: 'Polygon' as const, coordinates: [ring] };
    const got = (await svc.retrieveChips({ text: TEXT, roi, topK: 10_000 })).chips;
    const want = all.filter((c) => booleanIntersects(polygon(c.footprint.coordinates), polygon([ring])));
    expect(want.length).toBeGreaterThan(3);
    expect(want.length).toBeLessThan(all.length);
    expect(got).toEqual(want); // same chips, same scores, same order
  });

  it('by example: the chip under a clicked point retrieves itself first (cosine 1)', async () => {
    const probe = all[Math.floor(all.length / 2)];
    const r = await svc.retrieveChips({
      points: [{ lon: probe.centre[0], lat: probe.centre[1], label: 1 }],
      topK: 3,
    });
    expect(r.query).toBe('by example (1+, 0−)');
    expect(r.chips[0]).toMatchObject({ row: probe.row, col: probe.col });
    expect(r.chips[0].score).toBeGreaterThan(1 - 1e-3);
  });

  it('an index without chip embeddings says to re-index; indexing again adds them, byte for byte', async () => {
    const chipsDir = path.join(fieldDir, 'chips');
    const files = (await listFiles(chipsDir)).filter((f) => f !== 'zarr.json');
    const before = await Promise.all(files.map((f) => fs.readFile(path.join(chipsDir, f))));
    await fs.rm(chipsDir, { recursive: true }); // what a field indexed before chip retrieval looks like
    await expect(svc.retrieveChips({ text: TEXT })).rejects.toMatchObject({
      code: 'NOT_INDEXED',
      message: expect.stringContaining('re-index with --reindex to enable chip retrieval'),
    });
    const cli = await runCli(['retrieve', dir, TEXT]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('re-index with --reindex to enable chip retrieval');
    expect(cli.stdout).toBe('');
    const sum = await svc.index(
      svc.project.data.scenes[0].id,
      FIXTURE_PACK,
      { margin: MARGIN, chipsPerChunk: 3 },
      silentJobContext(),
    );
    expect(sum.imageChipsRun).toBe(ref.length);
    expect(sum.chipsRun).toBe(0); // the patch field was complete: only the image encoder ran
    expect((await listFiles(chipsDir)).filter((f) => f !== 'zarr.json')).toEqual(files);
    for (const [i, f] of files.entries())
      expect((await fs.readFile(path.join(chipsDir, f))).equals(before[i]), `${f} differs`).toBe(true);
    expect((await svc.retrieveChips({ text: TEXT, topK: 10_000 })).chips).toEqual(all);
  }, 120_000);
});
