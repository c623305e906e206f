/**
 * Shared geometry types of the vector package.
 *
 * Pixel coordinates: x = column, y = row, y pointing DOWN, vertices on pixel corners
 * (pixel (c, r) is the square [c, c+1] x [r, r+1]). Rings are closed (first point repeated
 * last). In pixel space exterior rings have a POSITIVE shoelace sum
 * (sum of x_i*y_{i+1} - x_{i+1}*y_i), i.e. they run clockwise on screen; holes are negative.
 * With a north-up geotransform (dy < 0) that becomes counter-clockwise in the world, which is
 * what RFC 7946 wants, but `pixelRingsToWorld` re-orients anyway.
 */
export type Point = [number, number];
/** Closed ring: ring[0] equals ring[ring.length - 1]. */
export type Ring = Point[];
/** [exterior, ...holes]. */
export type PolygonRings = Ring[];

/** One connected component of a mask (one output feature). */
export interface MaskObject {
  /** 1-based component id in raster order of the component's first pixel. */
  id: number;
  /** Pixels in the component. */
  pixelCount: number;
  /** Pixel bbox [minX, minY, maxX, maxY] in pixel-corner coordinates (exclusive max). */
  bbox: [number, number, number, number];
  /**
   * Polygon parts. With 4-connectivity always exactly one; with 8-connectivity one per
   * 4-connected piece of the 8-connected component (see mask-to-polygons.ts).
   */
  polygons: PolygonRings[];
}

/** GeoJSON geometry subset produced by this package (RFC 7946, WGS84 lon/lat). */
export type PolygonGeometry =
  { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
