import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExportFeature } from './export-types';
import { writeGeoJson } from './write-geojson';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'geojson-'));
const square = (cw: boolean): number[][] => {
  const r = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
    [0, 0],
  ]; // counter-clockwise
  return cw ? [...r].reverse() : r;
};

describe('writeGeoJson', () => {
  it('writes a FeatureCollection with RFC 7946 winding and JSON-safe properties', async () => {
    const p = path.join(dir, 'a.geojson');
    const f: ExportFeature = {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [square(true)] },
      properties: { score: NaN, created_at: new Date(0), query: 'pools' },
    };
    await writeGeoJson(p, [f]);
    const fc = JSON.parse(fs.readFileSync(p, 'utf8'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.crs).toBeUndefined();
    expect(fc.features[0].geometry.coordinates[0]).toEqual(square(false));
    expect(fc.features[0].properties).toEqual({
      score: null,
      created_at: '1970-01-01T00:00:00.000Z',
      query: 'pools',
    });
  });

  it('writes an empty FeatureCollection', async () => {
    const p = path.join(dir, 'empty.geojson');
    await writeGeoJson(p, []);
    expect(JSON.parse(fs.readFileSync(p, 'utf8'))).toEqual({ type: 'FeatureCollection', features: [] });
  });

  it('rejects an unclosed ring and leaves no file', async () => {
    const p = path.join(dir, 'bad.geojson');
    const f: ExportFeature = {
      type: 'Feature',
      geometry: {
        type: 'Polygon',
        coordinates: [
          square(false)
            .slice(0, 4)
            .concat([[0, 0.5]]),
        ],
      },
      properties: {},
    };
    await expect(writeGeoJson(p, [f])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('not closed'),
    });
    expect(fs.existsSync(p)).toBe(false);
  });
});
