import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../src/core/util/paths';

/** Generated e2e fixtures: the imagery engineer's GDAL script, run into a folder of our own. */
export const E2E_FIXTURES = path.join(repoRoot(), 'tests/.fixtures/e2e/imagery');

export function ensureImageryFixtures(): string {
  if (!existsSync(path.join(E2E_FIXTURES, 's2-item.stac.json'))) {
    execFileSync('bash', [path.join(repoRoot(), 'tests/fixtures/make-imagery-fixtures.sh'), E2E_FIXTURES], {
      stdio: 'inherit',
    });
  }
  return E2E_FIXTURES;
}

/** lon/lat of native CRS coordinates, by GDAL (the reference, not the code under test). */
export function gdalToWgs84(epsg: number, xy: [number, number]): [number, number] {
  const out = execFileSync('gdaltransform', ['-s_srs', `EPSG:${epsg}`, '-t_srs', 'EPSG:4326', '-output_xy'], {
    input: `${xy[0]} ${xy[1]}\n`,
  }).toString();
  const [lon, lat] = out.trim().split(/\s+/).map(Number);
  return [lon!, lat!];
}

/** Opens the dialog with Ctrl+O, types the sources (one per line) and presses Enter. */
export async function openViaDialog(page: Page, sources: string[], profile?: string): Promise<void> {
  await page.keyboard.press('Control+o');
  const dialog = page.getByRole('dialog', { name: 'Open imagery' });
  await dialog.waitFor();
  const box = dialog.getByTestId('open-sources');
  await box.fill(sources.join('\n'));
  if (profile) await dialog.getByTestId('open-profile').selectOption(profile);
  await box.press('Enter');
}

/** Resolves when the map has stopped moving and every visible tile has loaded. */
export async function waitForMapIdle(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const m = window.__graftMap;
      return !!m && !m.isMoving() && m.loaded() && m.areTilesLoaded();
    },
    undefined,
    { timeout: 60_000, polling: 100 },
  );
  // One more frame so the raster fade has finished and the canvas holds the final picture.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const m = window.__graftMap!;
        m.once('idle', () => resolve());
        m.triggerRepaint();
      }),
  );
}

/** RGBA of the map canvas at lon/lat positions (drawing buffer is preserved by MapView). */
export async function sampleMap(page: Page, lngLats: [number, number][]): Promise<number[][]> {
  return page.evaluate((points) => {
    const m = window.__graftMap!;
    const canvas = m.getCanvas();
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext;
    const ratio = canvas.width / canvas.clientWidth;
    return points.map(([lng, lat]) => {
      const p = m.project([lng, lat]);
      const buf = new Uint8Array(4);
      // WebGL rows start at the bottom.
      gl.readPixels(
        Math.round(p.x * ratio),
        Math.round(canvas.height - p.y * ratio),
        1,
        1,
        gl.RGBA,
        gl.UNSIGNED_BYTE,
        buf,
      );
      return [...buf];
    });
  }, lngLats);
}

/** A grid of n×n points over the inner part of a bbox (a UTM footprint does not fill its WGS84 box). */
export function innerGrid(b: [number, number, number, number], n = 5, inset = 0.2): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const fx = inset + ((1 - 2 * inset) * i) / (n - 1);
      const fy = inset + ((1 - 2 * inset) * j) / (n - 1);
      pts.push([b[0] + fx * (b[2] - b[0]), b[1] + fy * (b[3] - b[1])]);
    }
  }
  return pts;
}

/** The offline background #eef1f4 and the graticule line colours (#9aa5b1, #b8c1cc), antialiased. */
export function isBasemapColour([r, g, b]: number[]): boolean {
  const near = (c: [number, number, number], tol: number) =>
    Math.abs(r! - c[0]) + Math.abs(g! - c[1]) + Math.abs(b! - c[2]) <= tol;
  return near([238, 241, 244], 6) || near([154, 165, 177], 30) || near([184, 193, 204], 30);
}

export function meanAbsDiff(a: number[][], b: number[][]): number {
  let s = 0;
  let n = 0;
  a.forEach((p, i) => {
    for (let c = 0; c < 3; c++) {
      s += Math.abs(p[c]! - b[i]![c]!);
      n++;
    }
  });
  return s / n;
}
