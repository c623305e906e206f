import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SceneInfoJson } from '../../src/shared/contract/imagery';
import { repoRoot } from '../../src/core/util/paths';
import { hasChromium, launchBrowser, screenshotPath, serveApp, type ServedApp } from './browser';
import {
  ensureImageryFixtures,
  gdalToWgs84,
  innerGrid,
  isBasemapColour,
  meanAbsDiff,
  openViaDialog,
  sampleMap,
  waitForMapIdle,
} from './helpers-imagery';

const DATA = path.resolve(repoRoot(), '../shared/data');
const hasData = existsSync(DATA);
const GDAL_TYPES: Record<string, string> = {
  Byte: 'uint8',
  UInt16: 'uint16',
  Int16: 'int16',
  Float32: 'float32',
};

interface GdalInfo {
  size: [number, number];
  bands: { type: string; noDataValue?: number }[];
  stac?: { 'proj:epsg'?: number };
}
const gdalinfo = (file: string) =>
  JSON.parse(execFileSync('gdalinfo', ['-json', file]).toString()) as GdalInfo;

describe.skipIf(!hasChromium)('imagery UI in headless Chromium through the web host', () => {
  let app: ServedApp;
  let browser: Browser;
  let page: Page;
  let fx: string;
  const tileStatuses: number[] = [];

  async function scenes(): Promise<SceneInfoJson[]> {
    const res = await fetch(`${app.origin}/api/rpc/imagery.list`, {
      method: 'POST',
      headers: { 'x-graft-token': app.token, 'content-type': 'application/json' },
      body: '{}',
    });
    return ((await res.json()) as { result: SceneInfoJson[] }).result;
  }
  const sceneNamed = async (name: string) => (await scenes()).find((s) => s.name === name)!;
  const nonBasemapShare = (px: number[][]) => px.filter((p) => !isBasemapColour(p)).length / px.length;

  /** Opens sources through the dialog, waits for the new layer row and for the tiles. */
  async function openScene(sources: string[]): Promise<SceneInfoJson> {
    const before = await page.getByTestId('layer-row').count();
    await openViaDialog(page, sources);
    await expect.poll(() => page.getByTestId('layer-row').count(), { timeout: 30_000 }).toBe(before + 1);
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const id = await page.getByTestId('layer-row').first().getAttribute('data-scene-id');
    const scene = (await scenes()).find((s) => s.id === id)!;
    await waitForMapIdle(page);
    return scene;
  }

  async function setRender(scene: SceneInfoJson, render: 'truecolor' | 'falsecolor') {
    await page.getByLabel(`Render for ${scene.name}`).selectOption(render);
    await expect.poll(() => page.getByTestId('legend-chip').getAttribute('data-render')).toBe(render);
    await waitForMapIdle(page);
  }

  beforeAll(async () => {
    fx = ensureImageryFixtures();
    app = await serveApp();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('response', (r) => {
      if (r.url().includes('/tiles/')) tileStatuses.push(r.status());
    });
    await page.goto(app.url);
    await page.waitForFunction(() => window.__graftMap?.loaded() === true, undefined, { timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('opens a generated NAIP-like GeoTIFF with Ctrl+O and draws it where GDAL places it', async () => {
    const file = path.join(fx, 'naip_26914_20210615.tif');
    const scene = await openScene([file]);
    const px = await sampleMap(page, innerGrid(scene.boundsWgs84));
    expect(nonBasemapShare(px)).toBeGreaterThan(0.9);
    // Placement: just outside the footprint is still the offline basemap.
    const [w, s, e, n] = scene.boundsWgs84;
    const outsidePts: [number, number][] = [
      [e + (e - w) * 0.03, (s + n) / 2],
      [w - (e - w) * 0.03, (s + n) / 2],
    ];
    const onCanvas = await page.evaluate(
      (pts) =>
        pts.every(([lng, lat]) => {
          const m = window.__graftMap!;
          const p = m.project([lng, lat]);
          return p.x >= 0 && p.y >= 0 && p.x < m.getCanvas().clientWidth && p.y < m.getCanvas().clientHeight;
        }),
      outsidePts,
    );
    expect(onCanvas).toBe(true);
    expect((await sampleMap(page, outsidePts)).map(isBasemapColour)).toEqual([true, true]);
    // The pond the fixture script draws at pixel (420, 300) of a 1 m grid is dark blue-grey (30, 50, 80).
    const pond = gdalToWgs84(26914, [500000 + 420, 5250000 - 300]);
    const [p] = await sampleMap(page, [pond]);
    expect(p![2]).toBeGreaterThan(p![0]! + 10);
    const lum = (q: number[]) => q[0]! + q[1]! + q[2]!;
    expect(lum(p!)).toBeLessThan(px.reduce((a, q) => a + lum(q), 0) / px.length);
    await expect.poll(() => page.getByTestId('legend-chip').getAttribute('data-render')).toBe('truecolor');
    await page.screenshot({ path: screenshotPath('imagery-fixture-truecolor.png') });
  });

  it('switches the fixture to false colour (NIR-R-G) and the pixels change as NIR says', async () => {
    const scene = await sceneNamed('naip_26914_20210615.tif');
    const grid = innerGrid(scene.boundsWgs84);
    const pond = gdalToWgs84(26914, [500420, 5249700]);
    const trueGrid = await sampleMap(page, grid);
    await setRender(scene, 'falsecolor');
    const falseGrid = await sampleMap(page, grid);
    expect(meanAbsDiff(trueGrid, falseGrid)).toBeGreaterThan(15);
    // NIR of the pond is 10 against 140±80 around it: screen red is lowest there.
    const [p] = await sampleMap(page, [pond]);
    const meanRed = falseGrid.reduce((a, q) => a + q[0]!, 0) / falseGrid.length;
    expect(p![0]).toBeLessThan(meanRed - 40);
    await page.screenshot({ path: screenshotPath('imagery-fixture-falsecolor.png') });
  });

  it('shows scene metadata that agrees with gdalinfo', async () => {
    const file = path.join(fx, 'naip_26914_20210615.tif');
    const ref = gdalinfo(file);
    await page.getByRole('button', { name: 'naip_26914_20210615.tif', exact: true }).click();
    const details = page.getByTestId('scene-details');
    await details.waitFor();
    expect(await details.getByTestId('meta-crs').textContent()).toBe(`EPSG:${ref.stac!['proj:epsg']}`);
    expect(await details.getByTestId('meta-size').textContent()).toBe(`${ref.size[0]} × ${ref.size[1]} px`);
    const bands = await details.locator('.band-chip').allTextContents();
    expect(bands).toHaveLength(ref.bands.length);
    for (const b of bands) expect(b).toContain(GDAL_TYPES[ref.bands[0]!.type]!);
    expect(await details.getByTestId('meta-nodata').textContent()).toBe(String(ref.bands[0]!.noDataValue));
    expect(await details.getByTestId('meta-date').textContent()).toBe('2021-06-15');
    expect(await details.getByTestId('meta-sources').textContent()).toContain(file);
    await page.screenshot({ path: screenshotPath('imagery-fixture-metadata.png') });
  });

  it('opens four Sentinel-2-like band files as ONE scene in true and false colour', async () => {
    const files = ['B02', 'B03', 'B04', 'B08'].map((b) => path.join(fx, `S2B_36QWD_20230105_L2A_${b}.tif`));
    const scene = await openScene(files);
    expect(scene.sources).toEqual(files);
    expect(scene.bands).toHaveLength(4);
    // Newest on top of the list.
    expect(await page.getByTestId('layer-row').first().getAttribute('data-scene-id')).toBe(scene.id);
    const grid = innerGrid(scene.boundsWgs84);
    const truePx = await sampleMap(page, grid);
    expect(nonBasemapShare(truePx)).toBeGreaterThan(0.9);
    await setRender(scene, 'falsecolor');
    const falsePx = await sampleMap(page, grid);
    expect(nonBasemapShare(falsePx)).toBeGreaterThan(0.9);
    expect(meanAbsDiff(truePx, falsePx)).toBeGreaterThan(15);
    await page.screenshot({ path: screenshotPath('imagery-fixture-s2-falsecolor.png') });
  });

  it('keeps map layer order equal to the list (under overlays-start) when moved', async () => {
    const order = () =>
      page.evaluate(() =>
        window
          .__graftMap!.getStyle()
          .layers.map((l) => l.id)
          .filter((id) => id.startsWith('imagery-') || id === 'overlays-start'),
      );
    const rows = async () =>
      await page
        .getByTestId('layer-row')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-scene-id')));
    const expectMatch = async () => {
      const ids = await rows();
      // Map order is bottom→top; the list is top→bottom; the marker stays above all imagery.
      expect(await order()).toEqual([...ids.map((id) => `imagery-${id}`).reverse(), 'overlays-start']);
    };
    await expectMatch();
    const [top] = await rows();
    const topName = (await scenes()).find((s) => s.id === top)!.name;
    await page.getByRole('button', { name: `Move ${topName} down` }).click();
    expect((await rows())[1]).toBe(top);
    await expectMatch();
    await page.getByRole('button', { name: `Move ${topName} up` }).click();
    await expectMatch();
  });

  it('shows a clear error naming a bad file while the other layers keep rendering', async () => {
    const naip = await sceneNamed('naip_26914_20210615.tif');
    for (const [bad, reason] of [
      ['/etc/hostname', /hostname.*not a TIFF/i],
      [path.join(fx, 'bad_truncated.tif'), /bad_truncated\.tif/],
    ] as const) {
      await openViaDialog(page, [bad]);
      const err = page.getByTestId('open-error');
      await err.waitFor({ timeout: 30_000 });
      expect(await err.textContent()).toMatch(reason);
      expect(await err.textContent()).toContain(`Could not open ${path.basename(bad)}`);
      if (bad.includes('truncated')) await page.screenshot({ path: screenshotPath('imagery-bad-file.png') });
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    }
    expect(await page.getByTestId('layer-row').count()).toBe(2);
    await page.getByRole('button', { name: `Zoom to ${naip.name}` }).click();
    await waitForMapIdle(page);
    expect(nonBasemapShare(await sampleMap(page, innerGrid(naip.boundsWgs84)))).toBeGreaterThan(0.9);
  });

  it('explains that drag-and-drop needs the desktop app in the browser', async () => {
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'scene.tif', { type: 'image/tiff' }));
      const target = document.querySelector('.map-area')!;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    });
    const notice = page.getByTestId('open-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      'Drag-and-drop needs the desktop app; paste the file path instead',
    );
    expect(await notice.textContent()).toContain('scene.tif');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('draws a 3-band EPSG:4326 RGB file and offers no false colour for it', async () => {
    const scene = await openScene([path.join(fx, 'rgb_4326.tif')]);
    expect(scene.availableRenders).toEqual(['truecolor']);
    expect(
      await page.getByLabel(`Render for ${scene.name}`).locator('option[value=falsecolor]').isDisabled(),
    ).toBe(true);
    expect(nonBasemapShare(await sampleMap(page, innerGrid(scene.boundsWgs84)))).toBeGreaterThan(0.9);
    await page.getByRole('button', { name: `Close ${scene.name}` }).click();
    await expect.poll(() => page.getByTestId('layer-row').count()).toBe(2);
  });

  it('closes a layer and removes it from the map', async () => {
    const s2 = (await scenes()).find((s) => s.bands.length === 4 && s.profile === 'sentinel2-l2a')!;
    await page.getByRole('button', { name: `Close ${s2.name}` }).click();
    await expect.poll(() => page.getByTestId('layer-row').count()).toBe(1);
    expect(await page.evaluate((id) => !!window.__graftMap!.getLayer(`imagery-${id}`), s2.id)).toBe(false);
    expect((await scenes()).some((s) => s.id === s2.id)).toBe(false);
  });

  describe.skipIf(!hasData)(`shared sample data in ${DATA}${hasData ? '' : ' (absent: skipped)'}`, () => {
    // The NAIP 5 m series: one quarter-quad in three vintages, each a layer of its own.
    for (const date of ['20090818', '20140720', '20200831']) {
      const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}`;
      it(`NAIP ${iso} in true and false colour`, async () => {
        const file = path.join(DATA, `naip/opengeos_m_4709963_se_14_1_${date}_5m.tif`);
        const scene = await openScene([file]);
        const ref = gdalinfo(file);
        expect([scene.width, scene.height]).toEqual(ref.size);
        expect(scene.crs.epsg).toBe(ref.stac?.['proj:epsg']);
        expect(scene.date).toBe(iso);
        const grid = innerGrid(scene.boundsWgs84);
        const truePx = await sampleMap(page, grid);
        expect(nonBasemapShare(truePx)).toBeGreaterThan(0.9);
        await page.screenshot({ path: screenshotPath(`imagery-naip-${date}-truecolor.png`) });
        await setRender(scene, 'falsecolor');
        const falsePx = await sampleMap(page, grid);
        expect(meanAbsDiff(truePx, falsePx)).toBeGreaterThan(10);
        await page.screenshot({ path: screenshotPath(`imagery-naip-${date}-falsecolor.png`) });
      });
    }

    it('Sentinel-2 L2A B02/B03/B04/B08 at 100 m as one scene in true and false colour', async () => {
      const files = ['B02', 'B03', 'B04', 'B08'].map((b) =>
        path.join(DATA, `sentinel2/S2A_29RKH_20200219_L2A_${b}_100m.tif`),
      );
      const scene = await openScene(files);
      const ref = gdalinfo(files[0]!);
      expect([scene.width, scene.height]).toEqual(ref.size);
      expect(scene.bands.map((b) => b.dataType)).toEqual(Array(4).fill(GDAL_TYPES[ref.bands[0]!.type]));
      expect(scene.profile).toBe('sentinel2-l2a');
      const grid = innerGrid(scene.boundsWgs84);
      const truePx = await sampleMap(page, grid);
      expect(nonBasemapShare(truePx)).toBeGreaterThan(0.9);
      await page.screenshot({ path: screenshotPath('imagery-s2-truecolor.png') });
      await setRender(scene, 'falsecolor');
      const falsePx = await sampleMap(page, grid);
      expect(nonBasemapShare(falsePx)).toBeGreaterThan(0.9);
      expect(meanAbsDiff(truePx, falsePx)).toBeGreaterThan(5);
      await page.screenshot({ path: screenshotPath('imagery-s2-falsecolor.png') });
    });
  });

  it('served every tile without a server error', () => {
    expect(tileStatuses.length).toBeGreaterThan(0);
    expect(tileStatuses.filter((s) => s >= 400)).toEqual([]);
  });
});
