import { Popup, type GeoJSONSource, type Map as MlMap, type MapMouseEvent } from 'maplibre-gl';
import { ensureOverlaysMarker } from '../imagery/map-imagery-sync';
import type { ObjectFeature } from '../search/search-api';

export const SEGMENT_SOURCE = 'segment-instances';
export const SEGMENT_FILL = 'segment-fill';
export const SEGMENT_LINE = 'segment-line';
export const SEGMENT_POINTS = 'segment-points';
export const SEGMENT_POINTS_SOURCE = 'segment-points-src';

/** Outline colour per segmenter (also the legend's). */
export const SEGMENTER_COLOURS: Record<string, string> = {
  sam: '#84cc16',
  'region-grow': '#ec4899',
  'patch-grid': '#3b82f6',
};

export interface ShownInstance {
  key: string;
  feature: ObjectFeature;
  segmenter: string;
}

export interface ClickMark {
  lon: number;
  lat: number;
  label: 0 | 1;
}

const colourExpr = ['match', ['get', 'segmenter'], ...Object.entries(SEGMENTER_COLOURS).flat(), '#eab308'];

/** Instance polygons coloured by segmenter, the prompt points, and a popup naming the segmenter. */
export class SegmentLayer {
  private popup: Popup | null = null;
  private readonly onClick: (e: MapMouseEvent & { features?: unknown[] }) => void;

  constructor(
    private readonly map: MlMap,
    private readonly onPick: (key: string) => void,
    private readonly clickable: () => boolean,
  ) {
    ensureOverlaysMarker(map);
    const empty = { type: 'FeatureCollection' as const, features: [] };
    if (!map.getSource(SEGMENT_SOURCE)) map.addSource(SEGMENT_SOURCE, { type: 'geojson', data: empty });
    if (!map.getSource(SEGMENT_POINTS_SOURCE))
      map.addSource(SEGMENT_POINTS_SOURCE, { type: 'geojson', data: empty });
    map.addLayer({
      id: SEGMENT_FILL,
      type: 'fill',
      source: SEGMENT_SOURCE,
      paint: { 'fill-color': colourExpr as never, 'fill-opacity': ['case', ['get', 'selected'], 0.45, 0.25] },
    });
    map.addLayer({
      id: SEGMENT_LINE,
      type: 'line',
      source: SEGMENT_SOURCE,
      paint: { 'line-color': colourExpr as never, 'line-width': ['case', ['get', 'selected'], 3.5, 2] },
    });
    map.addLayer({
      id: SEGMENT_POINTS,
      type: 'circle',
      source: SEGMENT_POINTS_SOURCE,
      paint: {
        'circle-radius': 5,
        'circle-color': ['case', ['==', ['get', 'label'], 1], '#22c55e', '#ef4444'],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    });
    this.onClick = (e) => {
      if (!this.clickable()) return;
      const f = (e.features as { properties: Record<string, unknown> }[] | undefined)?.[0];
      if (!f) return;
      const p = f.properties;
      this.onPick(String(p.key));
      this.popup?.remove();
      const area = Number(p.area_m2);
      this.popup = new Popup({ closeButton: true, maxWidth: '240px' })
        .setLngLat(e.lngLat)
        .setHTML(
          `<div class="instance-popup" data-testid="instance-popup"><strong>${escapeHtml(String(p.query ?? 'object'))}</strong><br>` +
            `segmenter: <b>${escapeHtml(String(p.segmenter))}</b><br>` +
            (Number.isFinite(area) ? `area: ${(area / 1e4).toFixed(3)} ha<br>` : '') +
            (p.sam_iou !== null && p.sam_iou !== undefined && p.sam_iou !== 'null'
              ? `SAM IoU: ${Number(p.sam_iou).toFixed(2)}`
              : '') +
            `</div>`,
        )
        .addTo(this.map);
    };
    map.on('click', SEGMENT_FILL, this.onClick);
  }

  set(instances: ShownInstance[], selected: string | null, marks: ClickMark[]): void {
    (this.map.getSource(SEGMENT_SOURCE) as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: instances.map((i) => ({
        type: 'Feature',
        properties: {
          ...i.feature.properties,
          key: i.key,
          segmenter: i.segmenter,
          selected: i.key === selected,
        },
        geometry: i.feature.geometry,
      })),
    } as GeoJSON.FeatureCollection);
    (this.map.getSource(SEGMENT_POINTS_SOURCE) as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: marks.map((m) => ({
        type: 'Feature',
        properties: { label: m.label },
        geometry: { type: 'Point', coordinates: [m.lon, m.lat] },
      })),
    });
  }

  dispose(): void {
    this.popup?.remove();
    try {
      this.map.off('click', SEGMENT_FILL, this.onClick);
      for (const id of [SEGMENT_POINTS, SEGMENT_LINE, SEGMENT_FILL])
        if (this.map.getLayer(id)) this.map.removeLayer(id);
      for (const id of [SEGMENT_SOURCE, SEGMENT_POINTS_SOURCE])
        if (this.map.getSource(id)) this.map.removeSource(id);
    } catch {
      /* the map is already gone */
    }
  }
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
