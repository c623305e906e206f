import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl';
import { ensureOverlaysMarker } from '../imagery/map-imagery-sync';
import type { ProjectRoi } from '../search/search-api';

export const ROI_SOURCE = 'roi-shapes';
export const ROI_FILL = 'roi-fill';
export const ROI_LINE = 'roi-line';

/** Saved ROIs as amber outlines; the selected one thicker with a light fill. */
export class RoiLayer {
  constructor(private readonly map: MlMap) {
    ensureOverlaysMarker(map);
    if (!map.getSource(ROI_SOURCE))
      map.addSource(ROI_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    if (!map.getLayer(ROI_FILL))
      map.addLayer({
        id: ROI_FILL,
        type: 'fill',
        source: ROI_SOURCE,
        paint: { 'fill-color': '#f59e0b', 'fill-opacity': ['case', ['get', 'selected'], 0.12, 0.03] },
      });
    if (!map.getLayer(ROI_LINE))
      map.addLayer({
        id: ROI_LINE,
        type: 'line',
        source: ROI_SOURCE,
        paint: {
          'line-color': '#f59e0b',
          'line-width': ['case', ['get', 'selected'], 3.5, 2],
          'line-dasharray': [3, 1.5],
        },
      });
  }

  set(rois: ProjectRoi[], selectedId: string | null): void {
    (this.map.getSource(ROI_SOURCE) as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: rois.map((r) => ({
        type: 'Feature',
        id: undefined,
        properties: { roiId: r.id, name: r.name, selected: r.id === selectedId },
        geometry: r.geometry,
      })),
    } as GeoJSON.FeatureCollection);
  }

  dispose(): void {
    try {
      for (const id of [ROI_LINE, ROI_FILL]) if (this.map.getLayer(id)) this.map.removeLayer(id);
      if (this.map.getSource(ROI_SOURCE)) this.map.removeSource(ROI_SOURCE);
    } catch {
      /* the map is already gone */
    }
  }
}
