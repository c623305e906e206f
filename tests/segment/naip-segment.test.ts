import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openScene } from '../../src/core/imagery/open-scene';
import { silentJobContext } from '../../src/core/jobs/job-types';
import { exportObjects } from '../../src/core/segment/export-objects';
import { regionGrowSegmenter } from '../../src/core/segment/region-grow-segmenter';
import { segmentPoints } from '../../src/core/segment/segment-points';
import { labelComponents } from '../../src/core/vector/label-components';
import { repoRoot } from '../../src/core/util/paths';

const DATA = path.resolve(repoRoot(), '../shared/data');
const TIF = path.join(DATA, 'naip/opengeos_m_4709963_se_14_1_20200831_5m.tif');
const HAVE = fs.existsSync(TIF);
if (!HAVE) console.warn(`[naip-segment] skipped: ${TIF} not found`);
const HAVE_OGR = spawnSync('ogrinfo', ['--version']).status === 0;

/** Dark prairie ponds of the 2020 5 m sample (pixel centres, checked on the image). */
const PONDS: [number, number][] = [
  [855, 55],
  [535, 268],
  [550, 330],
  [480, 625],
];

/** ogrinfo's summary of a file: feature count per layer and the CRS it reports. */
function ogr(file: string): { count: number; crs: boolean; fields: string } {
  const s = execFileSync('ogrinfo', ['-so', '-al', file], { encoding: 'utf8' });
  const count = [...s.matchAll(/Feature Count: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  return { count, crs: /WGS 84|EPSG",4326|CRS84/.test(s), fields: s };
}

describe.skipIf(!HAVE)('NAIP 5 m prairie sample: ponds', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seg-naip-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('one polygon per pond, following the shoreline (IoU with an independent NDWI water mask)', async () => {
    const scene = await openScene([TIF]);
    try {
      const pts = PONDS.map(([x, y]) => {
        const [lon, lat] = scene.toWgs84(x + 0.5, y + 0.5);
        return { lon, lat, label: 1 as const };
      });
      const r = await segmentPoints(scene, pts, regionGrowSegmenter(), {}, silentJobContext());
      expect(r.features).toHaveLength(PONDS.length);
      // Reference: NDWI = (G - NIR)/(G + NIR) > 0 over the scene, the 4-connected component under each click.
      const w = await scene.readWindow(
        { x: 0, y: 0, width: scene.width, height: scene.height },
        { bands: ['G', 'NIR'] },
      );
      const water = new Uint8Array(scene.width * scene.height);
      for (let i = 0; i < water.length; i++)
        water[i] = w.valid[i] && (w.data[0][i] - w.data[1][i]) / (w.data[0][i] + w.data[1][i]) > 0 ? 1 : 0;
      const { labels } = labelComponents(water, scene.width, scene.height, 4);
      for (const [k, [x, y]] of PONDS.entries()) {
        const inst = r.instances.find((i) => i.promptIds.includes(k))!;
        const lab = labels[y * scene.width + x];
        expect(lab, `pond ${k} is water in NDWI`).toBeGreaterThan(0);
        let inter = 0;
        let ours = 0;
        let ref = 0;
        const bw = inst.bbox[2] - inst.bbox[0];
        for (let p = 0; p < labels.length; p++) {
          const px = p % scene.width;
          const py = (p - px) / scene.width;
          const a =
            px >= inst.bbox[0] &&
            px < inst.bbox[2] &&
            py >= inst.bbox[1] &&
            py < inst.bbox[3] &&
            inst.mask[(py - inst.bbox[1]) * bw + px - inst.bbox[0]] === 1;
          const b = labels[p] === lab;
          if (a) ours++;
          if (b) ref++;
          if (a && b) inter++;
        }
        const iou = inter / (ours + ref - inter);
        console.log(`pond ${k} at (${x}, ${y}): ${ours} px vs NDWI ${ref} px, IoU ${iou.toFixed(3)}`);
        expect(iou).toBeGreaterThanOrEqual(0.8);
      }
      // Exports: every format readable by OGR, counts consistent with the features.
      const sets = [{ query: 'water', roi: 'scene', sceneId: scene.id, features: r.features }];
      const gj = path.join(tmp, 'ponds.geojson');
      const gp = path.join(tmp, 'ponds.gpkg');
      const csv = path.join(tmp, 'ponds.csv');
      expect(await exportObjects(gj, 'geojson', sets)).toBe(4);
      expect(await exportObjects(gp, 'gpkg', sets)).toBe(4);
      await exportObjects(csv, 'csv', sets);
      const rows = fs.readFileSync(csv, 'utf8').trim().split('\r\n');
      expect(rows[0]).toBe('roi,query,scene_id,count,area_m2,segmenter');
      expect(rows[1].split(',')[3]).toBe('4');
      const props = JSON.parse(fs.readFileSync(gj, 'utf8')).features[0].properties;
      for (const k of [
        'query',
        'score',
        'sam_iou',
        'area_m2',
        'segmenter',
        'pack_id',
        'pack_sha256',
        'sam_pack_id',
        'sam_pack_sha256',
        'scene_id',
        'acquired_at',
        'threshold',
        'created_at',
      ])
        expect(props, k).toHaveProperty(k);
      expect(props.acquired_at).toMatch(/^2020-08-31/);
      if (HAVE_OGR) {
        for (const f of [gj, gp]) {
          const o = ogr(f);
          expect(o.count, f).toBe(4);
          expect(o.crs, f).toBe(true);
          expect(o.fields).toMatch(/area_m2: /);
        }
        // GeoJSON has no schema (OGR guesses types); the GeoPackage columns are typed.
        expect(ogr(gp).fields).toMatch(/area_m2: Real/);
        expect(ogr(gp).fields).toMatch(/created_at: DateTime/);
        expect(ogr(gp).fields).toMatch(/Layer name: water/);
        expect(ogr(csv).count).toBe(1);
      }
    } finally {
      scene.close();
    }
  });

  it('bad input: an unwritable export path fails clearly and leaves the earlier file whole', async () => {
    const gj = path.join(tmp, 'keep.geojson');
    fs.writeFileSync(gj, 'EARLIER');
    const feature = {
      type: 'Feature' as const,
      geometry: {
        type: 'Polygon' as const,
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
        ],
      },
      properties: {},
    };
    const sets = [{ query: 'water', roi: 'scene', sceneId: 's', features: [feature] }];
    await expect(exportObjects(path.join(tmp, 'no/such/dir/out.geojson'), 'geojson', sets)).rejects.toThrow(
      /cannot write \(the folder does not exist/,
    );
    fs.chmodSync(tmp, 0o500);
    try {
      if (process.getuid?.() !== 0)
        await expect(exportObjects(gj, 'geojson', sets)).rejects.toThrow(/keep\.geojson: cannot write/);
    } finally {
      fs.chmodSync(tmp, 0o700);
    }
    expect(fs.readFileSync(gj, 'utf8')).toBe('EARLIER');
  });
});
