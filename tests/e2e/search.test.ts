import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { area, booleanIntersects, booleanPointInPolygon, point } from '@turf/turf';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/core/util/paths';
import { hasChromium, openApp, screenshotIfFailed, screenshotPath, type OpenedApp } from './browser';
import {
  ensureImageryFixtures,
  gdalToWgs84,
  openViaDialog,
  sampleMap,
  waitForMapIdle,
} from './helpers-imagery';

const DATA = path.resolve(repoRoot(), '../shared/data');
const NAIP_SAMPLE = path.join(DATA, 'naip/opengeos_m_4709963_se_14_1_20200831_5m.tif');
const hasSample = existsSync(NAIP_SAMPLE);
if (!hasSample)
  console.warn(
    `search e2e: ${NAIP_SAMPLE} is absent; the real-NAIP part is skipped (the generated fixture still runs the whole loop)`,
  );

// The fixture script draws a pond of radius 50 px around pixel (420, 300) of a 1 m EPSG:26914 grid at (500000, 5250000).
const POND_RADIUS_M = 50;
const native = (px: number, py: number): [number, number] => [500000 + px, 5250000 - py];

type Ring = [number, number][];
type Geom = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
interface Feature {
  type: 'Feature';
  geometry: Geom;
  properties: Record<string, unknown>;
}

/** A WGS84 box around native pixel (px, py) ± half (metres), corners by GDAL. */
function boxAround(px: number, py: number, half: number): { sw: [number, number]; ne: [number, number] } {
  return {
    sw: gdalToWgs84(26914, native(px - half, py + half)),
    ne: gdalToWgs84(26914, native(px + half, py - half)),
  };
}

describe.skipIf(!hasChromium)('search loop UI in headless Chromium through the web host', () => {
  let opened: OpenedApp | undefined;
  let page: Page;
  let projectDir: string;
  const rpcCalls: string[] = [];
  let pageErrors: string[] = [];
  const pond = () => gdalToWgs84(26914, native(420, 300));

  /** Page coordinates of a lon/lat on the map canvas. */
  async function toPage(lngLat: [number, number]): Promise<{ x: number; y: number }> {
    const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
    const p = await page.evaluate(([lng, lat]) => window.__graftMap!.project([lng, lat]), lngLat);
    return { x: box.x + p.x, y: box.y + p.y };
  }

  /** The rendered features of a GeoJSON source (whole geometries, as the app set them). */
  async function sourceFeatures(source: string): Promise<Feature[]> {
    return page.evaluate(async (src) => {
      const s = window.__graftMap!.getSource(src) as unknown as {
        getData(): Promise<{ features?: unknown[] }>;
      };
      return ((await s.getData()).features ?? []) as never;
    }, source);
  }

  async function tab(name: string) {
    await page.getByRole('tab', { name, exact: true }).click();
  }

  /** Types a query and presses Enter; resolves once a NEW result (another query id) or an error shows. */
  async function runQuery(text: string) {
    const results = page.getByTestId('search-results');
    const before = (await results.count()) ? await results.getAttribute('data-query-id') : null;
    const box = page.getByLabel('Query text');
    await box.fill(text);
    await box.press('Enter');
    await expect
      .poll(
        async () =>
          (await page.getByTestId('search-error').count()) > 0 ||
          ((await results.count()) > 0 && (await results.getAttribute('data-query-id')) !== before),
        { timeout: 60_000 },
      )
      .toBe(true);
  }

  async function openScene(file: string): Promise<string> {
    await tab('Layers');
    const before = await page.getByTestId('layer-row').count();
    await openViaDialog(page, [file]);
    await expect.poll(() => page.getByTestId('layer-row').count(), { timeout: 30_000 }).toBe(before + 1);
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await waitForMapIdle(page);
    return (await page.getByTestId('layer-row').first().getAttribute('data-scene-id'))!;
  }

  /** Clicks Index for a scene and waits until its row says indexed; returns whether a progress bar was seen. */
  async function indexScene(sceneId: string, name: string): Promise<{ sawProgress: boolean }> {
    const row = page.locator(`[data-testid=index-row][data-scene-id="${sceneId}"]`);
    await row.getByRole('button', { name: `Index ${name}`, exact: true }).click();
    let sawProgress = false;
    await expect
      .poll(
        async () => {
          if (
            (await row.getByTestId('index-progress').count()) > 0 ||
            (await page.locator('[data-testid=job][data-state=running]').count()) > 0
          )
            sawProgress = true;
          return row.getAttribute('data-state');
        },
        { timeout: 120_000, interval: 100 },
      )
      .toBe('indexed');
    return { sawProgress };
  }

  beforeAll(async () => {
    ensureImageryFixtures();
    projectDir = mkdtempSync(path.join(os.tmpdir(), 'graft-search-e2e-'));
    opened = await openApp({
      onPage: (p) => {
        p.on('request', (r) => {
          const m = r.url().match(/\/api\/rpc\/([^?]+)/);
          if (m) rpcCalls.push(decodeURIComponent(m[1]!));
        });
      },
    });
    ({ page, pageErrors } = opened);
  });
  afterEach((ctx) => screenshotIfFailed(ctx, page, 'search'));
  afterAll(async () => {
    await opened?.close();
    if (projectDir) rmSync(projectDir, { recursive: true, force: true });
  });

  it(
    'creates a project, refuses a query before indexing, indexes the pond fixture with progress, and explains unknown words',
    { timeout: 180_000 },
    async () => {
      const file = path.join(ensureImageryFixtures(), 'naip_26914_20210615.tif');
      const sceneId = await openScene(file);
      await tab('Search');
      // The web host has no folder picker: no Browse button.
      await expect
        .poll(() => page.getByRole('button', { name: 'Browse for the project folder' }).count())
        .toBe(0);
      await page.getByLabel('Project folder path').fill(projectDir);
      await page.getByRole('button', { name: 'Create project' }).click();
      await expect
        .poll(() => page.getByTestId('project-name').textContent(), { timeout: 30_000 })
        .toContain(path.basename(projectDir));
      expect(existsSync(path.join(projectDir, 'project.json'))).toBe(true);
      // Default pack: the starter pack for NAIP.
      await expect
        .poll(() => page.getByTestId('pack-select').inputValue(), { timeout: 30_000 })
        .toBe('starter-naip');

      await runQuery('water');
      await expect
        .poll(() => page.getByTestId('search-error').textContent(), { timeout: 30_000 })
        .toMatch(/Index this scene first/);

      const { sawProgress } = await indexScene(sceneId, 'naip_26914_20210615.tif');
      expect(sawProgress).toBe(true);
      // The status bar keeps the finished job with its bar.
      const job = page.locator('[data-testid=job]').filter({ hasText: /index/i }).first();
      await expect.poll(() => job.getAttribute('data-state'), { timeout: 10_000 }).toBe('done');

      await runQuery('flamingos');
      await expect
        .poll(() => page.getByTestId('search-error').textContent(), { timeout: 30_000 })
        .toMatch(/knows: .*water/);
    },
  );

  it('"water" draws a heatmap, outlines the pond as a detection, counts it, and re-colours without recomputing', async () => {
    const [before] = await sampleMap(page, [pond()]);
    await runQuery('water');
    await page.getByTestId('search-results').waitFor({ timeout: 30_000 });
    await waitForMapIdle(page);
    const count = Number(await page.getByTestId('detection-summary').getAttribute('data-count'));
    expect(count).toBeGreaterThanOrEqual(1);
    // The pond (placed by GDAL) is inside a drawn detection outline.
    const dets = await sourceFeatures('search-detections');
    expect(dets).toHaveLength(count);
    expect(dets.some((f) => booleanPointInPolygon(point(pond()), f.geometry as never))).toBe(true);
    // The heatmap covers the pond in a bright ramp colour (high score), not the dark blue-grey pond.
    const [heat] = await sampleMap(page, [pond()]);
    expect(
      Math.abs(heat![0]! - before![0]!) +
        Math.abs(heat![1]! - before![1]!) +
        Math.abs(heat![2]! - before![2]!),
    ).toBeGreaterThan(60);
    await page.screenshot({ path: screenshotPath('search-fixture-heatmap.png') });

    // Threshold to the maximum: only the very best patches stay coloured, with no request sent.
    const callsBefore = rpcCalls.length;
    const slider = page.getByLabel('Score threshold');
    await slider.focus();
    await slider.press('End');
    await waitForMapIdle(page);
    const max = Number(await page.getByTestId('legend-max').textContent());
    expect(Number(await page.getByTestId('threshold-value').textContent())).toBeCloseTo(max, 2);
    // Opacity 0 hides the heatmap: the pond shows its imagery colour again.
    const opacity = page.getByLabel('Heatmap opacity');
    await opacity.focus();
    await opacity.press('Home');
    await waitForMapIdle(page);
    const [hidden] = await sampleMap(page, [pond()]);
    const diff = (a: number[], b: number[]) =>
      a.slice(0, 3).reduce((acc, v, i) => acc + Math.abs(v - b[i]!), 0);
    // What remains is the detection outline's faint cyan fill over the imagery.
    expect(diff(hidden!, before!)).toBeLessThan(diff(heat!, before!) / 2);
    expect(diff(hidden!, before!)).toBeLessThan(45);
    expect(rpcCalls.slice(callsBefore).filter((m) => m.startsWith('query.'))).toEqual([]);
    // Back to 75 % (steps of 5 %), and the threshold to the lowest score: the whole grid is solid.
    for (let i = 0; i < 15; i++) await opacity.press('ArrowRight');
    await slider.press('Home');
    await waitForMapIdle(page);
    await page.screenshot({ path: screenshotPath('search-fixture-threshold-min.png') });
    // Back to the query's own threshold (re-run: its scores come from the host's cache).
    await runQuery('water');
    await page.getByTestId('search-results').waitFor();

    // Top-K: the best patch is a water patch; clicking it flies there and outlines it.
    const first = page.getByTestId('topk-item').first();
    await first.click();
    await waitForMapIdle(page);
    const sel = await sourceFeatures('search-topk');
    expect(sel).toHaveLength(1);
    const centre = await page.evaluate(() => window.__graftMap!.getCenter().toArray() as [number, number]);
    expect(booleanPointInPolygon(point(centre), sel[0]!.geometry as never)).toBe(true);
    await page.screenshot({ path: screenshotPath('search-fixture-topk.png') });
    // History lists the query.
    await expect
      .poll(() => page.getByLabel('Query history').locator('option').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringMatching(/^water/)]));
  });

  it('draws ROIs with the mouse; the per-ROI counts agree with the detections they touch and follow edits', async () => {
    // Zoom out to the whole pond and some land.
    await page.evaluate(([lng, lat]) => window.__graftMap!.jumpTo({ center: [lng, lat], zoom: 16 }), pond());
    await waitForMapIdle(page);
    await tab('ROIs');
    const drawRect = async (b: { sw: [number, number]; ne: [number, number] }) => {
      await page.getByTestId('draw-rectangle').click();
      const a = await toPage([b.sw[0], b.ne[1]]);
      const c = await toPage([b.ne[0], b.sw[1]]);
      await page.mouse.move(a.x, a.y);
      await page.mouse.click(a.x, a.y);
      await page.mouse.move((a.x + c.x) / 2, (a.y + c.y) / 2, { steps: 5 });
      await page.mouse.move(c.x, c.y, { steps: 5 });
      await page.mouse.click(c.x, c.y);
    };
    const dets = await sourceFeatures('search-detections');
    const expected = (g: Geom) =>
      dets.filter((d) => booleanIntersects(d.geometry as never, g as never)).length;

    const pondBox = boxAround(420, 300, 80);
    await drawRect(pondBox);
    await expect.poll(() => page.getByTestId('roi-item').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('roi-count').count(), { timeout: 30_000 }).toBe(1);
    const rois = () =>
      JSON.parse(readFileSync(path.join(projectDir, 'project.json'), 'utf8')).rois as {
        id: string;
        geometry: Geom;
      }[];
    const roi1 = rois()[0]!;
    const n1 = Number(await page.getByTestId('roi-count').first().getAttribute('data-count'));
    expect(n1).toBeGreaterThanOrEqual(1);
    expect(n1).toBe(expected(roi1.geometry));
    // Its area, shown in ha/km², agrees with turf on the saved geometry (a 160 m box ≈ 2.56 ha).
    const shown = await page.getByTestId('roi-area').first().textContent();
    expect(Number(shown!.match(/([\d.]+) ha/)![1])).toBeCloseTo(area(roi1.geometry as never) / 1e4, 1);

    // A dry box far from the pond: the count changes (none of the pond's detections touch it).
    await drawRect(boxAround(150, 420, 40));
    await expect.poll(() => page.getByTestId('roi-count').count(), { timeout: 30_000 }).toBe(2);
    const roi2 = rois()[1]!;
    const n2 = Number(
      await page.locator(`[data-testid=roi-count][data-roi-id="${roi2.id}"]`).getAttribute('data-count'),
    );
    expect(n2).toBe(expected(roi2.geometry));
    expect(n2).toBeLessThan(n1);
    await waitForMapIdle(page);
    await page.screenshot({ path: screenshotPath('search-fixture-rois.png') });

    // Select the dry ROI and press Delete: it goes, and the counts re-query.
    const roi2Button = page.locator(`[data-testid=roi-item][data-roi-id="${roi2.id}"] button.link`);
    if ((await roi2Button.getAttribute('aria-pressed')) !== 'true') await roi2Button.click();
    await page.locator('.maplibregl-canvas').focus();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('roi-item').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('roi-count').count(), { timeout: 30_000 }).toBe(1);

    // Esc drops a half-drawn polygon.
    await page.getByTestId('draw-polygon').click();
    const p = await toPage(pond());
    await page.mouse.click(p.x - 40, p.y - 40);
    await page.mouse.click(p.x + 40, p.y - 40);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('draw-polygon').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('roi-item').count()).toBe(1);
  });

  it('segments every detection of the query as a job', async () => {
    await tab('Segment');
    await page.getByTestId('segment-all').click();
    await expect
      .poll(
        async () =>
          (await page.getByTestId('segment-result').count()) +
          (await page.getByTestId('segment-error').count()),
        { timeout: 120_000 },
      )
      .toBeGreaterThan(0);
    expect((await page.getByTestId('segment-error').allTextContents()).join(' ')).toBe('');
    const segmented = Number(await page.getByTestId('segment-result').getAttribute('data-count'));
    expect(segmented).toBeGreaterThanOrEqual(1);
    // The job's polygons are drawn and listed, one per object.
    await expect.poll(() => page.getByTestId('instance-item').count(), { timeout: 15_000 }).toBe(segmented);
    const drawn = await sourceFeatures('segment-instances');
    expect(drawn.filter((f) => String(f.properties?.key).startsWith('det-'))).toHaveLength(segmented);
    expect(drawn.some((f) => booleanPointInPolygon(point(pond()), f.geometry as never))).toBe(true);
  });

  it('segments a clicked object, names its segmenter, and exports GeoJSON', async () => {
    await tab('Segment');
    // The click tool: a positive click in the pond makes one object of about the pond's area.
    await page.getByTestId('segment-tool').click();
    const p = await toPage(pond());
    const before = await page.getByTestId('instance-item').count();
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => page.getByTestId('instance-item').count(), { timeout: 60_000 }).toBe(before + 1);
    const segmenter = await page.getByTestId('instance-item').last().getAttribute('data-segmenter');
    expect(['sam', 'region-grow']).toContain(segmenter);
    const inst = (await sourceFeatures('segment-instances')).filter((f) =>
      String(f.properties?.key).startsWith('obj-'),
    );
    expect(inst).toHaveLength(1);
    expect(booleanPointInPolygon(point(pond()), inst[0]!.geometry as never)).toBe(true);
    const pondArea = Math.PI * POND_RADIUS_M ** 2;
    expect(Math.abs(area(inst[0]!.geometry as never) - pondArea) / pondArea).toBeLessThan(0.25);
    // Shift-click beside the pond adds a negative point to the same object (box zoom must not eat it).
    const dry = await toPage(gdalToWgs84(26914, native(420 + 70, 300)));
    await page.keyboard.down('Shift');
    await page.mouse.click(dry.x, dry.y);
    await page.keyboard.up('Shift');
    await expect
      .poll(
        async () =>
          (await sourceFeatures('segment-points-src')).filter((f) => f.properties?.label === 0).length,
        { timeout: 60_000 },
      )
      .toBe(1);
    expect(await page.getByTestId('instance-item').count()).toBe(before + 1);
    await waitForMapIdle(page);
    await page.screenshot({ path: screenshotPath('search-fixture-segment.png') });
    // Tool off: clicking the polygon shows which segmenter made it.
    await page.keyboard.press('Escape');
    await page.mouse.click(p.x, p.y);
    await expect
      .poll(() => page.getByTestId('instance-popup').textContent())
      .toContain(`segmenter: ${segmenter}`);
    await page.screenshot({ path: screenshotPath('search-fixture-popup.png') });

    // Export the segmented query as GeoJSON and read the file back.
    const out = path.join(projectDir, 'water.geojson');
    await page.getByTestId('export-path').fill(out);
    await page.getByTestId('export-run').click();
    await expect.poll(() => page.getByTestId('export-done').count(), { timeout: 60_000 }).toBe(1);
    const fc = JSON.parse(readFileSync(out, 'utf8')) as { type: string; features: Feature[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('export-done').textContent()).toContain(
      `Wrote ${fc.features.length} object`,
    );
    const pondFeature = fc.features.find((f) => booleanPointInPolygon(point(pond()), f.geometry as never));
    expect(pondFeature, 'an exported object covers the pond').toBeTruthy();
    expect(pondFeature!.properties.query).toBe('water');
    expect(['sam', 'region-grow', 'patch-grid']).toContain(pondFeature!.properties.segmenter);

    // A path that cannot be written: a clear error, no crash.
    await page.getByTestId('export-path').fill('/proc/graft-not-writable/objects.geojson');
    await page.getByTestId('export-run').click();
    await expect
      .poll(() => page.getByTestId('export-error').textContent(), { timeout: 30_000 })
      .toMatch(/graft-not-writable/);
    await page.screenshot({ path: screenshotPath('search-fixture-export.png') });
    expect(pageErrors).toEqual([]);
  });

  it.skipIf(!hasSample)(
    'runs the loop on the NAIP prairie sample (5 m): index, "water", heatmap and detections',
    async () => {
      const sceneId = await openScene(NAIP_SAMPLE);
      await tab('Search');
      await indexScene(sceneId, path.basename(NAIP_SAMPLE));
      await runQuery('water');
      await page.getByTestId('search-results').waitFor({ timeout: 60_000 });
      await waitForMapIdle(page);
      const ids = await page.evaluate(() => window.__graftMap!.getStyle().layers.map((l) => l.id));
      expect(ids).toContain(`search-heatmap-${sceneId}`);
      // Overlays sit above the imagery marker.
      expect(ids.indexOf(`search-heatmap-${sceneId}`)).toBeGreaterThan(ids.indexOf('overlays-start'));
      const count = Number(await page.getByTestId('detection-summary').getAttribute('data-count'));
      const dets = await sourceFeatures('search-detections');
      expect(dets.length).toBe(count);
      expect(count).toBeGreaterThanOrEqual(1);
      await page.screenshot({ path: screenshotPath('search-naip-sample-water.png') });
    },
  );
});
