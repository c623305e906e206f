import * as maplibregl from 'maplibre-gl';
import type { Map as MlMap } from 'maplibre-gl';
// MapLibre 6 runs its tile workers from a separate module; Vite bundles it and gives its URL.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { useEffect, useRef } from 'react';
import type { Cursor } from '../jobs/status-bar';
import { baseStyle } from './base-style';

declare global {
  interface Window {
    /** Read-only handle for end-to-end tests and the dev console. */
    __graftMap?: MlMap;
  }
}

export interface MapViewProps {
  basemapUrl: string | null;
  onMap(map: MlMap): void;
  onCursor(c: Cursor | null): void;
}

/** The full-window MapLibre map: navigation, scale bar, pointer readout. */
maplibregl.setWorkerUrl(workerUrl);

export function MapView({ basemapUrl, onMap, onCursor }: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);

  useEffect(() => {
    const map = new maplibregl.Map({
      container: container.current!,
      style: baseStyle(basemapUrl),
      center: [-98.5, 39.5],
      zoom: 3,
      attributionControl: { compact: true },
      // Keep the drawing buffer so screenshots (and the user's "copy map image") see the pixels.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');
    map.on('mousemove', (e) => onCursor({ lon: e.lngLat.lng, lat: e.lngLat.lat, zoom: map.getZoom() }));
    map.on('mouseout', () => onCursor(null));
    mapRef.current = map;
    window.__graftMap = map;
    onMap(map);
    return () => map.remove();
    // The map is created once; basemap changes are applied below without recreating it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      if (map.getLayer('basemap')) map.removeLayer('basemap');
      if (map.getSource('basemap')) map.removeSource('basemap');
      if (basemapUrl) {
        map.addSource('basemap', { type: 'raster', tiles: [basemapUrl], tileSize: 256 });
        map.addLayer({ id: 'basemap', type: 'raster', source: 'basemap' }, 'graticule-10');
      }
    };
    // isStyleLoaded() is also false while tiles load; only a style that has not loaded yet must wait.
    if (map.style?._loaded) apply();
    else map.once('load', apply);
  }, [basemapUrl]);

  return <div ref={container} className="map" data-testid="map" />;
}
