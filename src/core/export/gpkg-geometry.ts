import type { PolygonGeometry } from '../vector/types';

/** [minX, minY, maxX, maxY] of a polygon geometry. */
export function geometryEnvelope(g: PolygonGeometry): [number, number, number, number] {
  const env: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of polys)
    for (const p of rings[0] ?? []) {
      if (p[0] < env[0]) env[0] = p[0];
      if (p[1] < env[1]) env[1] = p[1];
      if (p[0] > env[2]) env[2] = p[0];
      if (p[1] > env[3]) env[3] = p[1];
    }
  return env;
}

/**
 * Encodes a geometry as a GeoPackage binary blob (OGC 12-128r18 §2.1.3): header "GP",
 * version 0, flags (little-endian, envelope [minx, maxx, miny, maxy], not empty, standard
 * GeoPackageBinary), srs_id, then ISO WKB, all little-endian. `promote` writes a Polygon as a
 * one-part MultiPolygon so a MULTIPOLYGON column holds only its declared type.
 */
export function encodeGpkgGeometry(g: PolygonGeometry, srsId: number, promote: boolean): Uint8Array {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const multi = g.type === 'MultiPolygon' || promote;
  const polyBytes = (rings: number[][][]): number => 9 + rings.reduce((s, r) => s + 4 + 16 * r.length, 0); // order+type+nRings, then rings
  const wkbLen = multi ? 9 + polys.reduce((s, p) => s + polyBytes(p), 0) : polyBytes(polys[0]);
  const buf = new ArrayBuffer(8 + 32 + wkbLen);
  const dv = new DataView(buf);
  const u8 = new Uint8Array(buf);
  u8[0] = 0x47; // 'G'
  u8[1] = 0x50; // 'P'
  u8[2] = 0; // version 1
  u8[3] = 0b0000_0011; // X=0 standard, Y=0 not empty, E=1 envelope xy, B=1 little-endian
  dv.setInt32(4, srsId, true);
  const [minX, minY, maxX, maxY] = geometryEnvelope(g);
  dv.setFloat64(8, minX, true);
  dv.setFloat64(16, maxX, true);
  dv.setFloat64(24, minY, true);
  dv.setFloat64(32, maxY, true);
  let o = 40;
  const header = (type: number, count: number): void => {
    u8[o] = 1; // little-endian WKB
    dv.setUint32(o + 1, type, true);
    dv.setUint32(o + 5, count, true);
    o += 9;
  };
  const polygon = (rings: number[][][]): void => {
    header(3, rings.length);
    for (const r of rings) {
      dv.setUint32(o, r.length, true);
      o += 4;
      for (const p of r) {
        dv.setFloat64(o, p[0], true);
        dv.setFloat64(o + 8, p[1], true);
        o += 16;
      }
    }
  };
  if (multi) {
    header(6, polys.length);
    for (const p of polys) polygon(p);
  } else polygon(polys[0]);
  return u8;
}
