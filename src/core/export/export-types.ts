import type { PolygonGeometry } from '../vector/types';

/** A value an exported attribute may hold. DATETIME fields take ISO 8601 strings (or Date). */
export type FieldValue = string | number | boolean | null | Date;

/** A GeoJSON Feature as the exporters take it: WGS84 lon/lat polygon geometry. */
export interface ExportFeature {
  type: 'Feature';
  id?: string | number;
  geometry: PolygonGeometry;
  properties: Record<string, FieldValue>;
}

export type FieldType = 'TEXT' | 'REAL' | 'INTEGER' | 'DATETIME';
export interface FieldDef {
  name: string;
  type: FieldType;
}

/** How an object polygon came about. */
export type Segmenter = 'sam' | 'region-grow' | 'patch-grid';

/** Properties every exported object feature carries (the pipeline fills them). */
export interface ObjectFeatureProperties {
  [key: string]: FieldValue;
  query: string;
  /** Best patch score of the object (cosine similarity); null for an object made from a click. */
  score: number | null;
  /** Mean patch score over the object's patches; null for an object made from a click. */
  mean_score: number | null;
  /** SAM's predicted IoU; null when SAM did not make the polygon. */
  sam_iou: number | null;
  /** Area in m² (computed in the raster's projected CRS). */
  area_m2: number;
  segmenter: Segmenter;
  /** Patch-encoder pack id and the sha256 of its ONNX file. */
  pack_id: string;
  pack_sha256: string;
  /** SAM pack id and sha256; null for non-SAM segmenters. */
  sam_pack_id: string | null;
  sam_pack_sha256: string | null;
  scene_id: string;
  /** Scene acquisition time, ISO 8601 (a date alone is fine); null when unknown. */
  acquired_at: string | null;
  /** Score threshold the detection passed; null for an object made from a click. */
  threshold: number | null;
  /** When the feature was made, ISO 8601 UTC. */
  created_at: string;
}

/** GeoPackage field list matching ObjectFeatureProperties, in column order. */
export const OBJECT_FEATURE_FIELDS: FieldDef[] = [
  { name: 'query', type: 'TEXT' },
  { name: 'score', type: 'REAL' },
  { name: 'mean_score', type: 'REAL' },
  { name: 'sam_iou', type: 'REAL' },
  { name: 'area_m2', type: 'REAL' },
  { name: 'segmenter', type: 'TEXT' },
  { name: 'pack_id', type: 'TEXT' },
  { name: 'pack_sha256', type: 'TEXT' },
  { name: 'sam_pack_id', type: 'TEXT' },
  { name: 'sam_pack_sha256', type: 'TEXT' },
  { name: 'scene_id', type: 'TEXT' },
  { name: 'acquired_at', type: 'DATETIME' },
  { name: 'threshold', type: 'REAL' },
  { name: 'created_at', type: 'DATETIME' },
];
