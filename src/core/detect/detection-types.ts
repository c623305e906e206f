import type { GridWindow } from '../field/field-types';

/**
 * One detection: an 8-connected component of above-threshold patches on the whole patch grid
 * (never per chunk, so a blob across a chunk seam is one detection).
 */
export interface Detection {
  /** 1-based, in order of the component's first cell in row-major order. */
  id: number;
  /** Grid indices (row * cols + col) of the component's patches, ascending. */
  cells: Int32Array;
  /** Highest score and the cell it is at (lowest index on ties). */
  peak: number;
  peakCell: number;
  /** Mean score over the cells. */
  mean: number;
  /** Area in patches and in m² (patches × patchSizeM²). */
  areaPatches: number;
  areaM2: number;
  /** Bounding box in grid cells, half-open. */
  bbox: GridWindow;
}

/** Rings are closed ([x, y] pairs, first = last); x = column, y = row, in patch units, y down. */
export type GridRing = [number, number][];
/** Polygons are [outer, ...holes]; a component can be several polygons (cells touching at a corner). */
export type GridMultiPolygon = GridRing[][];
