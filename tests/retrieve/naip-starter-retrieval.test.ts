import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { booleanIntersects, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { NAIP_5M, PY, ROOT, runCli, tempDir } from '../search/helpers';

/**
 * Chip retrieval on real imagery: the NAIP 5 m prairie-pothole sample indexed with the starter
 * pack (whose image encoder is the mean of its per-patch band statistics). NDWI is computed by
 * GDAL from the raw pixels inside each returned footprint (tests/retrieve/chip_ndwi.py), which
 * also checks the footprints' georeferencing: each must cover exactly one 224×224 chip of pixels.
 */
describe.skipIf(!existsSync(NAIP_5M))(
  'NAIP 5 m sample, starter pack: chip retrieval (skipped: ../shared/data absent)',
  () => {
    it('"water" ranks first the chips with the most open water; --roi keeps the chips touching it', async () => {
      const dir = await tempDir('retrieve-naip');
      const idx = await runCli(['index', dir, NAIP_5M, '--pack', 'starter-naip', '--json']);
      expect(idx.code, idx.stderr).toBe(0);
      expect(JSON.parse(idx.stdout).chipFieldDir).toBeTruthy();

      const allFile = path.join(dir, 'all.geojson');
      const all = await runCli(['retrieve', dir, 'water', '--top-k', '1000', '-o', allFile, '--json']);
      expect(all.code, all.stderr).toBe(0);
      const r = JSON.parse(all.stdout);
      expect(r).toMatchObject({ packId: 'starter-naip', query: 'water', output: allFile });
      expect(r.chips).toHaveLength(r.chipsSearched);
      expect(r.chipsSearched).toBeGreaterThanOrEqual(10); // 934x723 px: 4x3 chips at least half data
      const fc = JSON.parse(await fs.readFile(allFile, 'utf8'));
      expect(fc.features.map((f: { properties: { rank: number } }) => f.properties.rank)).toEqual(
        r.chips.map((_: unknown, i: number) => i + 1),
      );

      const ndwi: { mean: number; px: number }[] = JSON.parse(
        execFileSync(PY, [path.join(ROOT, 'tests/retrieve/chip_ndwi.py'), NAIP_5M, allFile], {
          encoding: 'utf8',
        }),
      );
      expect(ndwi).toHaveLength(r.chips.length);
      for (const n of ndwi) expect(n.px).toBe(224 * 224);
      const sorted = ndwi.map((n) => n.mean).sort((a, b) => a - b);
      const median = (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
      // The best two chips for "water" hold more open water (higher NDWI) than the median chip.
      expect(ndwi[0].mean).toBeGreaterThan(median);
      expect(ndwi[1].mean).toBeGreaterThan(median);
      expect((ndwi[0].mean + ndwi[1].mean) / 2).toBeGreaterThan(sorted[sorted.length - 3]); // and sit among the top three by NDWI

      const top = await runCli(['retrieve', dir, 'water', '--top-k', '3']);
      expect(top.code, top.stderr).toBe(0);
      expect(top.stdout).toMatch(
        /^3 chip\(s\) for "water" with starter-naip \(of \d+ chip\(s\) in 1 scene\(s\)\)/,
      );

      // ROI: the western half of the scene's lon/lat box.
      const [w, s, e, n] = [-99.1856, 47.004, -99.1239, 47.0365];
      const ring = [
        [w, s],
        [(w + e) / 2 - 0.003, s],
        [(w + e) / 2 - 0.003, n],
        [w, n],
        [w, s],
      ];
      const roiFile = path.join(dir, 'roi.geojson');
      await fs.writeFile(
        roiFile,
        JSON.stringify({
          type: 'Feature',
          properties: { name: 'west' },
          geometry: { type: 'Polygon', coordinates: [ring] },
        }),
      );
      const inRoi = await runCli(['retrieve', dir, 'water', '--roi', roiFile, '--top-k', '1000', '--json']);
      expect(inRoi.code, inRoi.stderr).toBe(0);
      const got = JSON.parse(inRoi.stdout).chips;
      const want = r.chips.filter((c: { footprint: { coordinates: number[][][] } }) =>
        booleanIntersects(polygon(c.footprint.coordinates), polygon([ring])),
      );
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(r.chips.length);
      expect(got).toEqual(want);
    }, 120_000);
  },
);
