import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { booleanPointInPolygon, point } from '@turf/turf';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, openApp, screenshotIfFailed, screenshotPath, type OpenedApp } from './browser';
import { ensureImageryFixtures, gdalToWgs84, openViaDialog, waitForMapIdle } from './helpers-imagery';

// The fixture script draws a pond of radius 50 px around pixel (420, 300) of a 1 m EPSG:26914 grid
// at (500000, 5250000); pixel (150, 420) is dry fields well away from it and from the road.
const native = (px: number, py: number): [number, number] => [500000 + px, 5250000 - py];
const wgs = (px: number, py: number) => gdalToWgs84(26914, native(px, py));

type Geom = { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
interface Feature {
  type: 'Feature';
  geometry: Geom & { type: string };
  properties: Record<string, unknown>;
}

describe.skipIf(!hasChromium)(
  'query by example and ROI classification in headless Chromium through the web host',
  () => {
    let opened: OpenedApp | undefined;
    let page: Page;
    let projectDir: string;
    let sceneId = '';
    let pageErrors: string[] = [];
    const pond = () => wgs(420, 300);
    const dry = () => wgs(150, 420);

    async function toPage(lngLat: [number, number]): Promise<{ x: number; y: number }> {
      const box = (await page.locator('.maplibregl-canvas').boundingBox())!;
      const p = await page.evaluate(([lng, lat]) => window.__graftMap!.project([lng, lat]), lngLat);
      return { x: box.x + p.x, y: box.y + p.y };
    }

    async function sourceFeatures(source: string): Promise<Feature[]> {
      return page.evaluate(async (src) => {
        const s = window.__graftMap!.getSource(src) as unknown as {
          getData(): Promise<{ features?: unknown[] }>;
        };
        return ((await s.getData()).features ?? []) as never;
      }, source);
    }

    const tab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
    const queryId = async () =>
      (await page.getByTestId('search-results').count())
        ? page.getByTestId('search-results').getAttribute('data-query-id')
        : null;

    /** Runs `act` (a map click) and waits for a new result or an example error; returns the new detection count. */
    async function expectNewResult(act: () => Promise<void>): Promise<number> {
      const before = await queryId();
      await act();
      await expect
        .poll(
          async () => (await page.getByTestId('example-error').count()) > 0 || (await queryId()) !== before,
          { timeout: 60_000 },
        )
        .toBe(true);
      expect(await page.getByTestId('example-error').allTextContents()).toEqual([]);
      return Number(await page.getByTestId('detection-summary').getAttribute('data-count'));
    }

    async function click(lngLat: [number, number], shift = false) {
      const p = await toPage(lngLat);
      if (shift) await page.keyboard.down('Shift');
      await page.mouse.click(p.x, p.y);
      if (shift) await page.keyboard.up('Shift');
    }

    beforeAll(async () => {
      ensureImageryFixtures();
      projectDir = mkdtempSync(path.join(os.tmpdir(), 'graft-example-e2e-'));
      opened = await openApp();
      ({ page, pageErrors } = opened);
    });
    afterEach((ctx) => screenshotIfFailed(ctx, page, 'example'));
    afterAll(async () => {
      await opened?.close();
      if (projectDir) rmSync(projectDir, { recursive: true, force: true });
    });

    it('indexes the pond fixture with the starter pack', { timeout: 180_000 }, async () => {
      const file = path.join(ensureImageryFixtures(), 'naip_26914_20210615.tif');
      await tab('Layers');
      await openViaDialog(page, [file]);
      await expect.poll(() => page.getByTestId('layer-row').count(), { timeout: 30_000 }).toBe(1);
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      sceneId = (await page.getByTestId('layer-row').first().getAttribute('data-scene-id'))!;
      await tab('Search');
      await page.getByLabel('Project folder path').fill(projectDir);
      await page.getByRole('button', { name: 'Create project' }).click();
      await expect
        .poll(() => page.getByTestId('project-name').textContent(), { timeout: 30_000 })
        .toContain(path.basename(projectDir));
      await expect
        .poll(() => page.getByTestId('pack-select').inputValue(), { timeout: 30_000 })
        .toBe('starter-naip');
      const row = page.locator(`[data-testid=index-row][data-scene-id="${sceneId}"]`);
      await row.getByRole('button', { name: 'Index naip_26914_20210615.tif', exact: true }).click();
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 120_000 }).toBe('indexed');
    });

    it(
      'a positive click on the pond finds it; a negative on dry land does not grow the count; errors are explained',
      { timeout: 180_000 },
      async () => {
        await page.evaluate(
          ([lng, lat]) => window.__graftMap!.jumpTo({ center: [lng, lat], zoom: 16.3 }),
          wgs(330, 300),
        );
        await waitForMapIdle(page);
        const mode = page.getByTestId('example-mode');
        await mode.click();
        await expect.poll(() => mode.getAttribute('aria-pressed')).toBe('true');

        // Positive: the pond. The result is drawn like a text query's, under the by-example label.
        const n1 = await expectNewResult(() => click(pond()));
        expect(n1).toBeGreaterThanOrEqual(1);
        expect(await page.getByTestId('detection-summary').textContent()).toContain('by example (1+, 0−)');
        expect(await page.getByTestId('example-label').textContent()).toContain('by example (1+, 0−)');
        const dets = await sourceFeatures('search-detections');
        expect(dets).toHaveLength(n1);
        expect(dets.some((f) => booleanPointInPolygon(point(pond()), f.geometry as never))).toBe(true);
        // The example is marked by its patch square (16 m on this 1 m grid), around the click.
        await expect
          .poll(async () => (await sourceFeatures('example-patches')).map((f) => f.geometry.type))
          .toEqual(['Polygon']);
        const sq = (await sourceFeatures('example-patches'))[0]!;
        expect(booleanPointInPolygon(point(pond()), sq.geometry as never)).toBe(true);
        expect(sq.properties.label).toBe(1);
        await waitForMapIdle(page);
        await page.screenshot({ path: screenshotPath('example-positive.png') });

        // Negative: dry fields. The count must not grow; both examples are listed and drawn.
        const n2 = await expectNewResult(() => click(dry(), true));
        expect(n2).toBeLessThanOrEqual(n1);
        expect(await page.getByTestId('detection-summary').textContent()).toContain('by example (1+, 1−)');
        const dets2 = await sourceFeatures('search-detections');
        expect(dets2.some((f) => booleanPointInPolygon(point(pond()), f.geometry as never))).toBe(true);
        expect(dets2.some((f) => booleanPointInPolygon(point(dry()), f.geometry as never))).toBe(false);
        expect(
          await page
            .getByTestId('example-item')
            .evaluateAll((els) => els.map((e) => e.getAttribute('data-label'))),
        ).toEqual(['1', '0']);
        await expect
          .poll(async () => (await sourceFeatures('example-patches')).map((f) => f.properties.label).sort())
          .toEqual([0, 1]);
        await waitForMapIdle(page);
        await page.screenshot({ path: screenshotPath('example-negative.png') });

        // A click outside the scene (60 m south of its bottom edge): a clear error, the list unchanged, no request for it.
        const before = await queryId();
        await click(wgs(330, 560));
        await expect
          .poll(() => page.getByTestId('example-error').textContent())
          .toMatch(/outside every open scene/);
        expect(await page.getByTestId('example-item').count()).toBe(2);
        expect(await queryId()).toBe(before);

        // Removing the positive leaves only a negative: no query, the result is cleared, the reason shown.
        await page.getByRole('button', { name: 'Remove example 1 (positive)' }).click();
        await expect
          .poll(() => page.getByTestId('example-error').textContent())
          .toMatch(/Only negative examples/);
        await expect.poll(() => page.getByTestId('search-results').count()).toBe(0);
        await page.screenshot({ path: screenshotPath('example-only-negative.png') });

        // Keyboard: pan to the pond and add the map centre as a positive; Clear empties the list.
        await page.evaluate(([lng, lat]) => window.__graftMap!.jumpTo({ center: [lng, lat] }), pond());
        const positive = page.getByRole('button', { name: 'Add the map centre as a positive example' });
        await positive.focus();
        const n3 = await expectNewResult(() => page.keyboard.press('Enter'));
        expect(n3).toBeGreaterThanOrEqual(1);
        expect(await page.getByTestId('example-label').textContent()).toContain('by example (1+, 1−)');
        await page.getByTestId('example-clear').click();
        await expect.poll(() => page.getByTestId('example-item').count()).toBe(0);
        await expect.poll(async () => (await sourceFeatures('example-patches')).length).toBe(0);

        // Esc leaves the mode; map clicks add nothing then.
        await page.locator('.maplibregl-canvas').focus();
        await page.keyboard.press('Escape');
        await expect.poll(() => mode.getAttribute('aria-pressed')).toBe('false');
        await click(pond());
        await page.waitForTimeout(300);
        expect(await page.getByTestId('example-item').count()).toBe(0);
      },
    );

    // The pond ROI (a 60 m box in the 100 m disc) as the e2e imports it.
    const pondRing = () => [wgs(390, 330), wgs(450, 330), wgs(450, 270), wgs(390, 270), wgs(390, 330)];

    it(
      "classifies the selected ROI as a sorted bar chart of the host's answer; unknown labels and no selection are explained",
      { timeout: 120_000 },
      async () => {
        await tab('ROIs');
        // No ROI selected yet.
        await page.getByTestId('classify-run').click();
        await expect.poll(() => page.getByTestId('classify-error').textContent()).toMatch(/Select an ROI/);

        const geojson = JSON.stringify({
          type: 'Feature',
          properties: { name: 'Pond' },
          geometry: { type: 'Polygon', coordinates: [pondRing()] },
        });
        await page.getByLabel('GeoJSON to import as ROIs').fill(geojson);
        await page.getByRole('button', { name: 'Import pasted GeoJSON' }).click();
        await expect.poll(() => page.getByTestId('roi-item').count(), { timeout: 15_000 }).toBe(1);
        await page.getByTestId('roi-item').first().locator('button.link').click();
        await expect.poll(() => page.getByTestId('classify-target').textContent()).toContain('Pond');

        const labels = page.getByTestId('classify-labels');
        expect(await labels.inputValue()).toBe('water, grass, trees, buildings, bare soil');
        await labels.fill('water, grass, buildings');
        await labels.press('Enter');
        await page.getByTestId('classify-result').waitFor({ timeout: 60_000 });
        const bars = await page
          .getByTestId('classify-bar')
          .evaluateAll((els) =>
            els.map(
              (e) => [e.getAttribute('data-label')!, Number(e.getAttribute('data-probability'))] as const,
            ),
          );
        // The bars are the host's own answer to the same request, sorted by probability.
        const roiId = (await page.getByTestId('roi-item').first().getAttribute('data-roi-id'))!;
        const host = await page.evaluate(
          async (body) => {
            const res = await fetch('/api/rpc/classify.run', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body,
            });
            return (await res.json()) as {
              ok: boolean;
              result: { labels: { label: string; probability: number }[] };
            };
          },
          JSON.stringify({ roiId, labels: ['water', 'grass', 'buildings'], packId: 'starter-naip', sceneId }),
        );
        expect(host.ok).toBe(true);
        const want = [...host.result.labels].sort((a, b) => b.probability - a.probability);
        expect(bars.map((b) => b[0])).toEqual(want.map((l) => l.label));
        bars.forEach((b, i) => expect(b[1]).toBeCloseTo(want[i]!.probability, 9));
        expect(bars.reduce((a, b) => a + b[1], 0)).toBeCloseTo(1, 5);
        expect(await page.getByTestId('classify-result-pack').textContent()).toBe('starter-naip');
        expect(await page.getByTestId('classify-result-scene').textContent()).toBe('naip_26914_20210615.tif');
        await page.screenshot({ path: screenshotPath('classify-pond.png') });

        // A word the starter pack does not know: the message lists what it knows.
        await labels.fill('water, flamingos');
        await page.getByTestId('classify-run').click();
        await expect
          .poll(() => page.getByTestId('classify-error').textContent(), { timeout: 30_000 })
          .toMatch(/"flamingos".*knows these concepts: water \(/);
        await page.screenshot({ path: screenshotPath('classify-unknown.png') });
        expect(pageErrors).toEqual([]);
      },
    );

    // An ROI smaller than one chip (224 m here) is classified from a window over the ROI itself,
    // not from the grid chip around it (of which the pond is ~12 %).
    it('an ROI inside the pond is classified as water first', { timeout: 60_000 }, async () => {
      const bars = await page.getByTestId('classify-bar').count();
      if (!bars) {
        await page.getByTestId('classify-labels').fill('water, grass, buildings');
        await page.getByTestId('classify-run').click();
        await page.getByTestId('classify-bar').first().waitFor({ timeout: 60_000 });
      }
      expect(await page.getByTestId('classify-bar').first().getAttribute('data-label')).toBe('water');
    });
  },
);
