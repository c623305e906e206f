import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { booleanIntersects, multiPolygon, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { NAIP_5M, PY, ROOT, runCli, tempDir } from './helpers';

/**
 * Issue 5's "done when" on real imagery: the NAIP 5 m prairie-pothole sample indexed with the
 * starter pack; "water" detections must sit on open water by NDWI computed by GDAL from the raw
 * pixels (which also checks the polygons' georeferencing), and an ROI count must equal the
 * number of whole-scene detections that intersect the ROI.
 */
describe.skipIf(!existsSync(NAIP_5M))(
  'NAIP 5 m sample with the starter pack (skipped: ../shared/data absent)',
  () => {
    it('index, query "water" → detections on open water; "ponds" in an ROI counts the detections touching it', async () => {
      const dir = await tempDir('naip');
      const idx = await runCli(['index', dir, NAIP_5M, '--pack', 'starter-naip', '--json']);
      expect(idx.stderr).toContain("reads chips at the scene's own 5.00 m/pixel");
      expect(idx.code, idx.stderr).toBe(0);
      const summary = JSON.parse(idx.stdout);
      expect(summary).toMatchObject({
        rows: Math.ceil(723 / 16),
        cols: Math.ceil(934 / 16),
        chunksTotal: 1,
        chunksWritten: 1,
      });

      const water = path.join(dir, 'water.geojson');
      const q = await runCli(['query', dir, 'water', '-o', water]);
      expect(q.code, q.stderr).toBe(0);
      const n = Number(/^(\d+) detection\(s\) of "water"/.exec(q.stdout)?.[1]);
      expect(n).toBeGreaterThan(3);
      const fc = JSON.parse(await fs.readFile(water, 'utf8'));
      expect(fc.type).toBe('FeatureCollection');
      expect(fc.features).toHaveLength(n);
      for (const f of fc.features) {
        expect(Object.keys(f.properties)).toEqual(
          expect.arrayContaining(['query', 'score', 'mean_score', 'area_m2', 'scene', 'pack']),
        );
        expect(f.properties).toMatchObject({ query: 'water', pack: 'starter-naip' });
        expect(f.properties.area_m2 % (80 * 80)).toBeCloseTo(0, 3); // unions of 80 m patch squares
      }
      const ndwi = JSON.parse(
        execFileSync(PY, [path.join(ROOT, 'tests/search/ndwi_check.py'), NAIP_5M, water], {
          encoding: 'utf8',
        }),
      );
      // Water has NDWI > 0 (McFeeters); prairie cropland and grass are well below it.
      expect(ndwi.inside_px).toBeGreaterThan(10_000);
      expect(ndwi.inside_mean).toBeGreaterThan(0.2);
      expect(ndwi.outside_mean).toBeLessThan(0);
      expect(ndwi.inside_water_frac).toBeGreaterThan(0.7);
      expect(ndwi.inside_water_frac).toBeGreaterThan(3 * ndwi.outside_water_frac);

      // ROI over the middle of the scene (its lon/lat box, shrunk), in WGS84.
      const [w, s, e, nn] = [-99.1856, 47.004, -99.1239, 47.0365];
      const dx = (e - w) / 4;
      const dy = (nn - s) / 4;
      const ring = [
        [w + dx, s + dy],
        [e - dx, s + dy],
        [e - dx, nn - dy],
        [w + dx, nn - dy],
        [w + dx, s + dy],
      ];
      const roiFile = path.join(dir, 'roi.geojson');
      await fs.writeFile(
        roiFile,
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { name: 'centre' },
              geometry: { type: 'Polygon', coordinates: [ring] },
            },
          ],
        }),
      );
      // One explicit threshold for both: the automatic one follows the scores of the view (the ROI).
      const all = await runCli(['query', dir, 'ponds', '--threshold', '0.5', '--json']);
      const inRoi = await runCli(['query', dir, 'ponds', '--roi', roiFile, '--threshold', '0.5', '--json']);
      expect(inRoi.code, inRoi.stderr).toBe(0);
      const a = JSON.parse(all.stdout);
      const r = JSON.parse(inRoi.stdout);
      const roiPoly = polygon([ring]);
      const touching = a.detections.features.filter((f: { geometry: { coordinates: number[][][][] } }) =>
        booleanIntersects(multiPolygon(f.geometry.coordinates), roiPoly),
      );
      expect(r.counts).toHaveLength(1);
      expect(r.counts[0]).toMatchObject({ name: 'centre', query: 'ponds', count: touching.length });
      expect(r.count).toBe(touching.length);
      expect(touching.length).toBeGreaterThan(0);
      expect(touching.length).toBeLessThan(a.count);
      const history = JSON.parse(await fs.readFile(path.join(dir, 'project.json'), 'utf8')).queries;
      expect(history.map((h: { text: string }) => h.text)).toEqual(['water', 'ponds', 'ponds']);
    }, 120_000);
  },
);
