import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import {
  OBJECT_FEATURE_FIELDS,
  type ExportFeature,
  type ObjectFeatureProperties,
} from '../../src/core/export/export-types';
import { writeCountsCsv } from '../../src/core/export/write-counts-csv';
import { writeGeoJson } from '../../src/core/export/write-geojson';
import { layerNameForQuery, writeGeoPackage } from '../../src/core/export/write-geopackage';
import { maskToPolygons } from '../../src/core/vector/mask-to-polygons';
import { pixelRingsToWorld, type GeoTransform } from '../../src/core/vector/pixel-rings-to-world';
import { regionGrow } from '../../src/core/vector/region-grow';
import { simplifyPolygons } from '../../src/core/vector/simplify-ring';
import { fixtureDir, hasGdal, PYTHON, runPy } from './gdal-tools';
import { makeScene } from './synthetic-scene';

interface Inspect {
  driver: string;
  layers: {
    name: string;
    featureCount: number;
    geomType: string;
    crs: string | null;
    fields: { name: string; type: string }[];
    invalid: number;
    first: Record<string, unknown> | null;
  }[];
}

const utm = proj4('+proj=utm +zone=10 +datum=WGS84 +units=m +no_defs', 'WGS84');
const toWgs84 = (x: number, y: number): [number, number] => utm.forward([x, y]) as [number, number];
const GT: GeoTransform = [550000, 0.6, 0, 4180000, 0, -0.6];
const OGR_TYPE = { TEXT: 'String', REAL: 'Real', INTEGER: 'Integer', DATETIME: 'DateTime' } as const;

interface Areas {
  native: number;
  turf: number;
  simplified: number;
  pixels: number;
}

/** The whole chain on the generated scene: clicks -> masks -> polygons -> WGS84 features. */
function sceneFeatures(): { features: ExportFeature[]; areas: Areas[] } {
  const scene = makeScene();
  const features: ExportFeature[] = [];
  const areas: Areas[] = [];
  for (const shape of scene.shapes) {
    const mask = regionGrow(scene.bands, scene.width, scene.height, [{ ...shape.seed, label: 1 }]);
    for (const o of maskToPolygons(mask, scene.width, scene.height, { connectivity: 8 })) {
      const w = pixelRingsToWorld(simplifyPolygons(o.polygons, 0.6, 0.6), GT, toWgs84);
      const exact = pixelRingsToWorld(o.polygons, GT, toWgs84);
      areas.push({
        native: exact.areaNative,
        turf: exact.areaTurfM2,
        simplified: w.areaNative,
        pixels: o.pixelCount,
      });
      const properties: ObjectFeatureProperties = {
        query: shape.name === 'disc' ? 'round, "red" things' : shape.name,
        score: 0.3,
        mean_score: 0.25,
        sam_iou: shape.name === 'disc' ? 0.93 : null,
        area_m2: w.areaNative,
        segmenter: 'region-grow',
        pack_id: 'starter-naip',
        pack_sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        sam_pack_id: null,
        sam_pack_sha256: null,
        scene_id: 'synthetic-1',
        acquired_at: '2022-07-14',
        threshold: 0.2,
        created_at: new Date().toISOString(),
      };
      features.push({ type: 'Feature', geometry: w.geometry, properties });
    }
  }
  return { features, areas };
}

const signed = (r: number[][]): number =>
  r.slice(1).reduce((s, p, i) => s + r[i][0] * p[1] - p[0] * r[i][1], 0) / 2;

describe.skipIf(!hasGdal())('exports read back by OGR (ogrinfo, python3-gdal)', () => {
  const dir = fixtureDir('exports');
  const { features, areas } = sceneFeatures();

  it('native shoelace area is pixels x 0.36 m², @turf/area agrees within 0.3 %', () => {
    for (const a of areas) {
      expect(a.native).toBeCloseTo(a.pixels * 0.36, 6);
      // UTM scale factor near the central meridian: k0² = 0.9992.
      expect(Math.abs(a.turf / a.native - 1)).toBeLessThan(0.003);
      // Douglas-Peucker at 1 px moves the outline by <= 1 px: for these >= 20 px wide shapes < 10 %.
      expect(Math.abs(a.simplified / a.native - 1)).toBeLessThan(0.1);
    }
  });

  it('GeoJSON: ogrinfo reads it, EPSG:4326, fields typed, rings closed and RFC 7946 wound', async () => {
    const p = path.join(dir, 'objects.geojson');
    await writeGeoJson(p, features);
    const info = execFileSync('ogrinfo', ['-so', '-al', p], { encoding: 'utf8' });
    expect(info).toContain(`Feature Count: ${features.length}`);
    const r = runPy<Inspect>('ogr-inspect.py', [p]);
    const l = r.layers[0];
    expect(l.featureCount).toBe(features.length);
    expect(l.crs).toBe('EPSG:4326');
    expect(l.invalid).toBe(0);
    const types = Object.fromEntries(l.fields.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      query: 'String',
      score: 'Real',
      area_m2: 'Real',
      segmenter: 'String',
      threshold: 'Real',
      created_at: 'DateTime',
    });
    const fc = JSON.parse(fs.readFileSync(p, 'utf8'));
    for (const f of fc.features) {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const rings of polys)
        rings.forEach((ring: number[][], i: number) => {
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          expect(signed(ring) > 0).toBe(i === 0);
        });
    }
  });

  it('GeoPackage: one typed layer per query, EPSG:4326, passes GDAL validate_gpkg.py', async () => {
    const byQuery = new Map<string, ExportFeature[]>();
    for (const f of features)
      byQuery.set(String(f.properties.query), [...(byQuery.get(String(f.properties.query)) ?? []), f]);
    const layers = [...byQuery].map(([q, fs]) => ({
      name: layerNameForQuery(q),
      features: fs,
      fields: OBJECT_FEATURE_FIELDS,
    }));
    layers.push({ name: 'no_hits', features: [], fields: OBJECT_FEATURE_FIELDS });
    const p = path.join(dir, 'objects.gpkg');
    await writeGeoPackage(p, layers);
    const info = execFileSync('ogrinfo', ['-so', '-al', p], { encoding: 'utf8' });
    expect(info).toContain('using driver `GPKG');
    const r = runPy<Inspect>('ogr-inspect.py', [p]);
    expect(r.driver).toBe('GPKG');
    expect(r.layers.map((l) => l.name).sort()).toEqual(layers.map((l) => l.name).sort());
    for (const l of r.layers) {
      const src = layers.find((x) => x.name === l.name)!;
      expect(l.featureCount).toBe(src.features.length);
      expect(l.crs).toBe('EPSG:4326');
      expect(l.invalid).toBe(0);
      expect(l.fields).toEqual(OBJECT_FEATURE_FIELDS.map((f) => ({ name: f.name, type: OGR_TYPE[f.type] })));
    }
    const disc = r.layers.find((l) => l.name === 'round_red_things')!;
    expect(disc.first).toMatchObject({
      query: 'round, "red" things',
      sam_iou: 0.93,
      sam_pack_id: null,
      segmenter: 'region-grow',
    });
    // The OGC/GDAL conformance checker exits non-zero on any requirement it finds broken.
    execFileSync(PYTHON, ['/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py', p]);
  });

  it('counts CSV: read back by OGR and by Python csv with the same cells', async () => {
    const rows = [
      { query: 'round, "red" things', count: 1, threshold: 0.2 },
      { query: 'multi\nline', count: 0, threshold: null },
    ];
    const p = path.join(dir, 'counts.csv');
    await writeCountsCsv(p, rows);
    const back = execFileSync(
      PYTHON,
      ['-c', 'import csv,sys,json; print(json.dumps(list(csv.reader(open(sys.argv[1], newline="")))))', p],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(back)).toEqual([
      ['query', 'count', 'threshold'],
      ['round, "red" things', '1', '0.2'],
      ['multi\nline', '0', ''],
    ]);
    expect(execFileSync('ogrinfo', ['-so', '-al', p], { encoding: 'utf8' })).toContain('Feature Count: 2');
  });

  it('an unwritable path is a clear IO error that leaves the earlier export intact', async () => {
    const p = path.join(dir, 'keep.geojson');
    await writeGeoJson(p, features.slice(0, 1));
    const before = fs.readFileSync(p);
    await expect(writeGeoPackage(path.join(dir, 'missing-folder', 'x.gpkg'), [])).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringContaining('missing-folder'),
    });
    const asDir = path.join(dir, 'a-folder.geojson');
    fs.mkdirSync(asDir, { recursive: true });
    await expect(writeGeoJson(asDir, features)).rejects.toMatchObject({ code: 'IO' });
    expect(fs.readFileSync(p)).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
