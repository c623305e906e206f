import type { Map as MlMap, RasterTileSource } from 'maplibre-gl';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import type { ImageryLayer, RenderKind } from './imagery-layer';

/**
 * Id of an empty placeholder layer that splits the stack: imagery goes below it, overlays
 * (heatmaps, detections, drawings) go above it, so opening a scene never covers a result.
 */
export const OVERLAYS_START = 'overlays-start';
const LAYER_PREFIX = 'imagery-';

export function imageryLayerId(sceneId: string): string {
  return `${LAYER_PREFIX}${sceneId}`;
}

/** Adds the overlays marker if it is missing: an empty GeoJSON source drawn as an invisible fill. */
export function ensureOverlaysMarker(map: MlMap): void {
  if (map.getLayer(OVERLAYS_START)) return;
  if (!map.getSource(OVERLAYS_START)) {
    map.addSource(OVERLAYS_START, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  }
  map.addLayer({ id: OVERLAYS_START, type: 'fill', source: OVERLAYS_START, paint: { 'fill-opacity': 0 } });
}

/** Web-Mercator zoom at which one screen pixel (256-px tiles) covers the scene's pixel size. */
export function nativeZoom(scene: SceneInfoJson): number {
  const [, s, , n] = scene.boundsWgs84;
  const lat = ((s + n) / 2) * (Math.PI / 180);
  const res = Math.max(1e-3, Math.min(scene.resolutionM[0], scene.resolutionM[1]));
  return Math.log2((40075016.686 * Math.cos(lat)) / (256 * res));
}

/** Fits the map to a scene's WGS84 bounds, never zooming past twice its native resolution. */
export function zoomToScene(map: MlMap, scene: SceneInfoJson, animate = true): void {
  const [w, s, e, n] = scene.boundsWgs84;
  map.fitBounds(
    [
      [w, s],
      [e, n],
    ],
    { padding: 40, maxZoom: Math.min(22, nativeZoom(scene) + 1), duration: animate ? 600 : 0 },
  );
}

/**
 * Keeps the map's imagery layers equal to a layer list: adds raster sources for new scenes,
 * swaps tile URLs when the render changes, applies visibility/opacity, orders them (list
 * order, first = top) just under `overlays-start`, and removes closed ones.
 */
export class ImageryMapSync {
  /** layer id → tile template currently loaded */
  private readonly applied = new Map<string, string>();

  constructor(
    private readonly map: MlMap,
    private readonly tileTemplate: (sceneId: string, render: RenderKind) => string,
  ) {}

  sync(layers: ImageryLayer[]): void {
    const map = this.map;
    ensureOverlaysMarker(map);
    const wanted = new Set(layers.map((l) => imageryLayerId(l.scene.id)));
    for (const id of [...this.applied.keys()]) {
      if (!wanted.has(id)) this.removeLayer(id);
    }
    // Bottom first: each moved right under the marker ends above the ones placed before it.
    for (const layer of [...layers].reverse()) {
      const id = imageryLayerId(layer.scene.id);
      const template = this.tileTemplate(layer.scene.id, layer.render);
      if (!map.getLayer(id)) {
        // Higher zooms are drawn by scaling these tiles: the host never renders past the data.
        const maxzoom = Math.max(0, Math.min(22, Math.ceil(nativeZoom(layer.scene)) + 1));
        map.addSource(id, {
          type: 'raster',
          tiles: [template],
          tileSize: 256,
          bounds: layer.scene.boundsWgs84,
          maxzoom,
        });
        map.addLayer(
          { id, type: 'raster', source: id, paint: { 'raster-fade-duration': 100 } },
          OVERLAYS_START,
        );
        this.applied.set(id, template);
      } else if (this.applied.get(id) !== template) {
        (map.getSource(id) as RasterTileSource).setTiles([template]);
        this.applied.set(id, template);
      }
      map.setPaintProperty(id, 'raster-opacity', layer.opacity);
      map.setLayoutProperty(id, 'visibility', layer.visible ? 'visible' : 'none');
      map.moveLayer(id, OVERLAYS_START);
    }
  }

  /** Removes every layer this sync added; safe after the map itself was removed. */
  dispose(): void {
    for (const id of [...this.applied.keys()]) {
      try {
        this.removeLayer(id);
      } catch {
        this.applied.delete(id);
      }
    }
  }

  private removeLayer(id: string): void {
    if (this.map.getLayer(id)) this.map.removeLayer(id);
    if (this.map.getSource(id)) this.map.removeSource(id);
    this.applied.delete(id);
  }
}
