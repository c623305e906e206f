import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fromFile } from 'geotiff';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { Scene, openScene, renderTile } from '../../src/core/imagery/index';
import {
  mercatorToLonLat,
  renderBands,
  renderTileRgba,
  tileBoundsMercator,
  tilePixelCoords,
  type RenderKind,
} from '../../src/core/imagery/render-tile';
import { HAS_DATA, HAS_GDAL, type Case, ensureFixtures, fixtureCases, sampleCases, tmpDir } from './helpers';

/**
 * Tolerance for tiles compared with `gdalwarp -r bilinear` followed by the same stretch, as mean
 * absolute difference per channel on a 0–255 scale over pixels both call valid. Both resample the
 * same pixel-centre positions bilinearly at the zoom whose pixels are just finer than the scene's;
 * what differs is GDAL's approximate transformer (≤ 0.125 px by default, far less on one tile)
 * against our exact grid (< 0.01 px), and where each rounds. Measured MADs: 0.000–0.025 on NAIP,
 * RGB and fixtures, up to 0.22 on the 100 m Sentinel-2 stack (sharpest gradients per pixel after
 * its stretch). 0.35 keeps 1.5× headroom over the worst, while a half-pixel shift of the smooth
 * synthetic fixture already scores 0.70 (the test below proves the comparison can fail).
 */
const MAD_TOL = 0.35;
/** Pixels on the scene edge may be valid for one and not the other (0.125 px transformer error). */
const ALPHA_MISMATCH_TOL = 0.02;

interface TileCase extends Case {
  render: RenderKind;
  /** Zoom offset from the zoom whose pixels are just finer than the scene's (0 = upsampling). */
  dz?: number;
}

function nativeZoom(scene: Scene): number {
  const lat = (scene.boundsWgs84[1] + scene.boundsWgs84[3]) / 2;
  const z0 = (2 * Math.PI * 6378137 * Math.cos((lat * Math.PI) / 180)) / 256;
  return Math.ceil(Math.log2(z0 / Math.min(...scene.resolutionM)));
}

function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return [x, y];
}

/** gdalwarp of the scene's render bands to the tile, as float DNs plus alpha. */
async function gdalTile(
  c: Case,
  scene: Scene,
  bands: string[],
  z: number,
  x: number,
  y: number,
): Promise<{ vals: Float32Array[]; alpha: ArrayLike<number> }> {
  const dir = tmpDir('warp');
  let src = c.sources[0];
  if (c.sources.length > 1) {
    src = path.join(dir, 'stack.vrt');
    execFileSync('gdalbuildvrt', ['-q', '-separate', src, ...c.sources]);
  }
  const [minX, minY, maxX, maxY] = tileBoundsMercator(z, x, y);
  const out = path.join(dir, 'tile.tif');
  const bandArgs = bands.flatMap((n) => ['-b', String(scene.bandIndexes([n])[0] + 1)]);
  const sub = path.join(dir, 'bands.vrt');
  execFileSync('gdal_translate', ['-q', '-of', 'VRT', ...bandArgs, src, sub]);
  execFileSync('gdalwarp', [
    '-q',
    '-t_srs',
    'EPSG:3857',
    '-te',
    ...[minX, minY, maxX, maxY].map(String),
    '-ts',
    '256',
    '256',
    '-r',
    'bilinear',
    '-ot',
    'Float32',
    '-dstalpha',
    '-of',
    'GTiff',
    sub,
    out,
  ]);
  const tiff = await fromFile(out);
  const r = (await (await tiff.getImage()).readRasters({ interleave: false })) as unknown as Float32Array[];
  void tiff.close();
  return { vals: r.slice(0, bands.length), alpha: r[bands.length] };
}

async function compareTile(c: TileCase): Promise<{ mad: number[]; alphaMismatch: number }> {
  const scene = await openScene(c.sources);
  try {
    const [cx, cy] = scene.toWgs84(scene.width / 2, scene.height / 2);
    const z = nativeZoom(scene) + (c.dz ?? 0);
    const [x, y] = tileAt(cx, cy, z);
    const bands = renderBands(scene, c.render);
    const ours = (await renderTileRgba(scene, z, x, y, { render: c.render }))!;
    const ref = await gdalTile(c, scene, bands, z, x, y);
    const mad: number[] = [];
    let both = 0;
    let mismatch = 0;
    for (let i = 0; i < 256 * 256; i++) {
      const a = ours[i * 4 + 3] > 0;
      const b = ref.alpha[i] > 0;
      if (a !== b) mismatch++;
    }
    bands.forEach((name, ch) => {
      const bref = scene.bandRefs[scene.bandIndexes([name])[0]];
      const [lo, hi] = scene.stretch.bands[name];
      let sum = 0;
      both = 0;
      for (let i = 0; i < 256 * 256; i++) {
        if (!(ours[i * 4 + 3] > 0 && ref.alpha[i] > 0)) continue;
        const phys = ref.vals[ch][i] * bref.scale + bref.offset;
        const v = Math.min(255, Math.max(0, Math.round(((phys - lo) * 255) / (hi - lo))));
        sum += Math.abs(v - ours[i * 4 + ch]);
        both++;
      }
      mad.push(sum / Math.max(1, both));
    });
    expect(both).toBeGreaterThan(1000); // the tile really overlaps the scene
    return { mad, alphaMismatch: mismatch / (256 * 256) };
  } finally {
    scene.close();
  }
}

function tileCases(): TileCase[] {
  const fx = fixtureCases();
  const out: TileCase[] = [
    { ...fx[0], render: 'truecolor' },
    { ...fx[0], label: `${fx[0].label} falsecolor`, render: 'falsecolor' },
    { ...fx[1], render: 'truecolor' },
    { ...fx[2], render: 'truecolor' },
    { ...fx[3], render: 'truecolor' },
  ];
  if (HAS_DATA) {
    for (const c of sampleCases()) out.push({ ...c, render: 'truecolor' });
    const s2 = sampleCases().find((c) => c.label.startsWith('S2 29RKH B02'))!;
    out.push({ ...s2, label: `${s2.label} falsecolor`, render: 'falsecolor' });
  }
  return out;
}

describe.skipIf(!HAS_GDAL)('tiles vs gdalwarp -r bilinear', () => {
  beforeAll(ensureFixtures);
  for (const c of tileCases()) {
    it(c.label, async () => {
      const { mad, alphaMismatch } = await compareTile(c);
      console.log(
        `${c.label}: MAD per channel ${mad.map((m) => m.toFixed(3)).join(', ')}, alpha mismatch ${(alphaMismatch * 100).toFixed(2)}%`,
      );
      for (const m of mad) expect(m).toBeLessThan(MAD_TOL);
      expect(alphaMismatch).toBeLessThan(ALPHA_MISMATCH_TOL);
    });
  }

  it('a half-pixel shift would be caught (the comparison can fail)', async () => {
    const c = fixtureCases()[0];
    const scene = await openScene(c.sources);
    const gt = scene.geoTransform;
    // The same rasters with their origin moved by half a pixel east: every tile pixel samples 0.5 px off.
    const moved = scene.rasters.map((r) => ({
      ...r,
      geoTransform: [gt[0] + gt[1] / 2, gt[1], gt[2], gt[3], gt[4], gt[5]] as typeof gt,
    }));
    const shifted = new Scene(
      scene.id,
      scene.name,
      scene.sources,
      scene.profile,
      moved,
      scene.bandRefs,
      scene.levels,
      scene.date,
    );
    shifted.stretch = scene.stretch;
    const [cx, cy] = scene.toWgs84(scene.width / 2, scene.height / 2);
    const z = nativeZoom(scene);
    const [x, y] = tileAt(cx, cy, z);
    const ours = (await renderTileRgba(shifted, z, x, y, { render: 'truecolor' }))!;
    const ref = await gdalTile(c, scene, ['R', 'G', 'B'], z, x, y);
    const [lo, hi] = scene.stretch.bands.R;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < 65536; i++) {
      if (!(ours[i * 4 + 3] && ref.alpha[i])) continue;
      sum += Math.abs(
        Math.min(255, Math.max(0, Math.round(((ref.vals[0][i] - lo) * 255) / (hi - lo)))) - ours[i * 4],
      );
      n++;
    }
    expect(sum / n).toBeGreaterThan(MAD_TOL);
    scene.close();
  });

  it('interpolated inverse projection stays within 0.01 px of the exact one', async () => {
    const scene = await openScene(fixtureCases()[0].sources);
    const [cx, cy] = scene.toWgs84(scene.width / 2, scene.height / 2);
    const z = nativeZoom(scene) - 3;
    const [x, y] = tileAt(cx, cy, z);
    const { us, vs } = tilePixelCoords(scene, z, x, y, 256);
    const [minX, , maxX, maxY] = tileBoundsMercator(z, x, y);
    const res = (maxX - minX) / 256;
    let worst = 0;
    for (let py = 0; py < 256; py += 3) {
      for (let px = 0; px < 256; px += 3) {
        const [lon, lat] = mercatorToLonLat(minX + (px + 0.5) * res, maxY - (py + 0.5) * res);
        const [u, v] = scene.fromWgs84(lon, lat);
        worst = Math.max(worst, Math.abs(u - us[py * 256 + px]), Math.abs(v - vs[py * 256 + px]));
      }
    }
    expect(worst).toBeLessThan(0.01);
    scene.close();
  });

  it('encodes PNG and WebP with transparency, and returns null outside the scene', async () => {
    const scene = await openScene(fixtureCases()[0].sources);
    const [cx, cy] = scene.toWgs84(0, 0); // the nodata corner
    const z = nativeZoom(scene);
    const [x, y] = tileAt(cx, cy, z);
    const png = (await renderTile(scene, z, x, y, { render: 'truecolor' }))!;
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 256, 256, 4]);
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    let transparent = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] === 0) transparent++;
    expect(transparent).toBeGreaterThan(1000);
    const webp = (await renderTile(scene, z, x, y, { render: 'falsecolor', format: 'webp' }))!;
    expect((await sharp(webp).metadata()).format).toBe('webp');
    expect(await renderTile(scene, z, 0, 0, { render: 'truecolor' })).toBeNull();
    scene.close();
  });
});
