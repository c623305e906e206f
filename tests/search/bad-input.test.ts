import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreApp, type CoreApp } from '../../src/core/app/core-app';
import { InProcessEngine } from '../../src/engine/engine-client';
import { requests } from '../../src/shared/contract';
import { dispatch } from '../../src/shared/rpc';
import { FIXTURE_PACK, SCENE_1M, SCENE_5M, ensureFixtures, runCli, tempDir } from './helpers';

/** Calls a method through the contract (schema validation included), returning the outcome. */
async function call(app: CoreApp, method: string, params: unknown) {
  return dispatch(requests, app.handlers, method, params, { signal: new AbortController().signal });
}

const square = (lon: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});

describe('bad input: clear AppError codes, nothing lost', () => {
  let app: CoreApp;
  let dir: string;
  beforeAll(async () => {
    ensureFixtures();
    app = createCoreApp({ host: 'cli', engine: new InProcessEngine() });
    dir = await tempDir('bad');
  });
  afterAll(() => app?.dispose());

  it('query before indexing → NOT_INDEXED; far-off GSD → INVALID_INPUT unless forced', async () => {
    expect(await call(app, 'query.run', { text: 'water' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call(app, 'project.open', { dir, create: true })).toMatchObject({ ok: true });
    const q = await call(app, 'query.run', { text: 'water' });
    expect(q).toMatchObject({ ok: false, error: { code: 'NOT_INDEXED' } });
    expect(!q.ok && q.error.message).toMatch(/nothing is indexed yet; run `graft-workbench index/);
    const sc = await call(app, 'project.addScene', { sources: [SCENE_5M] });
    expect(sc.ok).toBe(true);
    const sceneId = (sc as { result: { id: string } }).result.id;
    const far = await call(app, 'index.start', { sceneId, packId: FIXTURE_PACK });
    expect(far).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!far.ok && far.error.message).toMatch(
      /5\.00 m\/pixel is 5\.0× coarser than the pack's training GSD \(1 m, pack fixture-clip-vit-tiny\).*--force-gsd/,
    );
    expect(await call(app, 'index.start', { sceneId, packId: 'no-such-pack' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('ROI validation: open rings, projected coordinates, points, bad JSON', async () => {
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [-99, 47],
          [-98.9, 47],
          [-98.9, 47.1],
          [-99, 47.1],
        ],
      ],
    };
    const r1 = await call(app, 'roi.add', { name: 'open', geometry: open });
    expect(!r1.ok && r1.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(!r1.ok && r1.error.message).toMatch(/ring 0: a ring needs at least 4 positions|not closed/);
    const open5 = {
      type: 'Polygon',
      coordinates: [
        [
          [-99, 47],
          [-98.9, 47],
          [-98.9, 47.1],
          [-99, 47.1],
          [-99.01, 47],
        ],
      ],
    };
    const r1b = await call(app, 'roi.add', { name: 'open5', geometry: open5 });
    expect(!r1b.ok && r1b.error.message).toMatch(
      /ring is not closed \(first \[-99, 47\] differs from last \[-99.01, 47\]\)/,
    );
    const utm = {
      type: 'Polygon',
      coordinates: [
        [
          [500000, 5250000],
          [500100, 5250000],
          [500100, 5249900],
          [500000, 5250000],
        ],
      ],
    };
    const r2 = await call(app, 'roi.add', { name: 'utm', geometry: utm });
    expect(!r2.ok && r2.error.message).toMatch(/outside WGS84 lon\/lat ranges/);
    const r3 = await call(app, 'roi.import', {
      geojson: JSON.stringify({
        type: 'Feature',
        properties: {},
        geometry: { type: 'Point', coordinates: [-99, 47] },
      }),
    });
    expect(!r3.ok && r3.error.message).toMatch(/geometry type "Point" is not an area/);
    const r4 = await call(app, 'roi.import', { geojson: '{"type": "FeatureCollection", "features": [' });
    expect(!r4.ok && r4.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(!r4.ok && r4.error.message).toMatch(/not valid JSON/);
    const list = await call(app, 'roi.list', {});
    expect(list).toMatchObject({ ok: true, result: [] });
  });

  it('an ROI that misses the scene → INVALID_INPUT; the project file survives every failure', async () => {
    const sc = await call(app, 'project.addScene', { sources: [SCENE_1M] });
    const sceneId = (sc as { result: { id: string } }).result.id;
    const job = await call(app, 'index.start', { sceneId, packId: FIXTURE_PACK });
    expect(job.ok).toBe(true);
    const info = await app.jobs.wait((job as { result: { jobId: string } }).result.jobId);
    expect(info.state, JSON.stringify(info.error)).toBe('done');
    const status = await call(app, 'index.status', {});
    expect(status).toMatchObject({
      ok: true,
      result: [{ sceneId, packId: FIXTURE_PACK, complete: true, jobId: null }],
    });
    // The fixture scene is at 500000 E, 5250000 N in UTM 14N (about -99.0, 47.4); this square is in France.
    const miss = await call(app, 'query.run', { text: 'a photo of a lake', roi: square(2.3, 48.8, 0.01) });
    expect(miss).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!miss.ok && miss.error.message).toMatch(/does not intersect the indexed scene/);
    const hit = await call(app, 'query.run', { text: 'a photo of a lake', topK: 5 });
    expect(hit.ok, JSON.stringify(!hit.ok && hit.error)).toBe(true);
    const res = (
      hit as { result: { topK: unknown[]; scenes: { scores: Float32Array }[]; thresholdSource: string } }
    ).result;
    expect(res.thresholdSource).toBe('top-k');
    expect(res.topK).toHaveLength(5);
    expect(res.scenes[0].scores).toBeInstanceOf(Float32Array);
    const hist = await call(app, 'query.history', {});
    expect((hist as { result: unknown[] }).result).toHaveLength(1);

    const file = path.join(dir, 'project.json');
    const good = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, good.replace('"scenes"', '"scenez"'));
    const broken = await fs.readFile(file, 'utf8');
    const reopen = await call(app, 'project.open', { dir });
    expect(reopen).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!reopen.ok && reopen.error.message).toMatch(/not a valid project file.*will not overwrite it/);
    expect(await fs.readFile(file, 'utf8')).toBe(broken);
    await fs.writeFile(file, good);
  }, 120_000);

  it('CLI: a query before indexing and a bad ROI file exit 1 with one clear line', async () => {
    const empty = await tempDir('cli');
    const a = await runCli(['query', empty, 'water']);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/^error: .*not a GRAFT project \(no project.json\)/);
    await fs.writeFile(
      path.join(empty, 'project.json'),
      JSON.stringify({
        schema: 'graft-project/1',
        created: 'x',
        scenes: [],
        indexes: [],
        queries: [],
        rois: [],
      }),
    );
    const b = await runCli(['query', empty, 'water']);
    expect(b.code).toBe(1);
    expect(b.stderr.trim()).toMatch(/^error: project .*: nothing is indexed yet; run `graft-workbench index/);
    await fs.writeFile(
      path.join(empty, 'bad.geojson'),
      '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0.5]]]}',
    );
    const c = await runCli(['query', empty, 'water', '--roi', path.join(empty, 'bad.geojson')]);
    expect(c.code).toBe(1);
    expect(c.stderr.trim()).toMatch(/bad\.geojson, ring 0: ring is not closed/);
    expect(c.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
