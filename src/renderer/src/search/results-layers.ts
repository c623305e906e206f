import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { ensureOverlaysMarker } from '../imagery/map-imagery-sync';
import type { QueryResult, TopPatch } from './search-api';

export const DETECTIONS_SOURCE = 'search-detections';
export const DETECTIONS_LINE = 'search-detections-line';
export const DETECTIONS_FILL = 'search-detections-fill';
export const TOPK_SOURCE = 'search-topk';
export const TOPK_LINE = 'search-topk-line';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

/** A top-K patch as a closed square ring, WGS84. */
export function patchSquare(p: TopPatch) {
  const [w, s, e, n] = p.bboxWgs84;
  return {
    type: 'Feature' as const,
    properties: { cell: p.cell, score: p.score },
    geometry: {
      type: 'Polygon' as const,
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    },
  };
}

/** Detections as cyan outlines (with a faint fill to click) and the selected top-K patch as a white square. */
export class ResultsLayers {
  constructor(private readonly map: MlMap) {
    ensureOverlaysMarker(map);
    if (!map.getSource(DETECTIONS_SOURCE)) map.addSource(DETECTIONS_SOURCE, { type: 'geojson', data: EMPTY });
    if (!map.getSource(TOPK_SOURCE)) map.addSource(TOPK_SOURCE, { type: 'geojson', data: EMPTY });
    if (!map.getLayer(DETECTIONS_FILL))
      map.addLayer({
        id: DETECTIONS_FILL,
        type: 'fill',
        source: DETECTIONS_SOURCE,
        paint: { 'fill-color': '#22d3ee', 'fill-opacity': 0.08 },
      });
    if (!map.getLayer(DETECTIONS_LINE))
      map.addLayer({
        id: DETECTIONS_LINE,
        type: 'line',
        source: DETECTIONS_SOURCE,
        paint: { 'line-color': '#22d3ee', 'line-width': 2 },
      });
    if (!map.getLayer(TOPK_LINE))
      map.addLayer({
        id: TOPK_LINE,
        type: 'line',
        source: TOPK_SOURCE,
        paint: { 'line-color': '#ffffff', 'line-width': 3, 'line-dasharray': [2, 1] },
      });
  }

  setDetections(result: QueryResult | null): void {
    (this.map.getSource(DETECTIONS_SOURCE) as GeoJSONSource | undefined)?.setData(
      (result?.detections ?? EMPTY) as GeoJSON.FeatureCollection,
    );
  }

  setSelectedPatch(p: TopPatch | null): void {
    (this.map.getSource(TOPK_SOURCE) as GeoJSONSource | undefined)?.setData(
      p ? { type: 'FeatureCollection', features: [patchSquare(p)] } : EMPTY,
    );
  }

  /** Keeps the result outlines above layers added later (ROIs, drawings stay on top of them). */
  raise(): void {
    for (const id of [DETECTIONS_FILL, DETECTIONS_LINE, TOPK_LINE])
      if (this.map.getLayer(id)) this.map.moveLayer(id);
  }

  dispose(): void {
    try {
      for (const id of [DETECTIONS_FILL, DETECTIONS_LINE, TOPK_LINE])
        if (this.map.getLayer(id)) this.map.removeLayer(id);
      for (const id of [DETECTIONS_SOURCE, TOPK_SOURCE])
        if (this.map.getSource(id)) this.map.removeSource(id);
    } catch {
      /* the map is already gone */
    }
  }
}
