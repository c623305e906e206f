import type { ImageSource, Map as MlMap } from 'maplibre-gl';
import { ensureOverlaysMarker } from '../imagery/map-imagery-sync';
import type { SceneScores } from './search-api';
import { colourScores, type RampRange } from './score-ramp';

const PREFIX = 'search-heatmap-';
/** Most alpha a below-threshold patch gets (at the ramp's top): a faint context wash under the solid hits. */
export const BELOW_ALPHA = 110;

export const heatmapLayerId = (sceneId: string) => `${PREFIX}${sceneId}`;

/**
 * The heatmap: one MapLibre `image` source per scene, fed with an ImageData that has one pixel
 * per patch (coloured here from the Float32Array scores), placed on the grid's 4 WGS84 corners.
 * Threshold and range changes only re-colour; opacity is a paint property.
 */
export class HeatmapLayers {
  private readonly shown = new Set<string>();

  constructor(private readonly map: MlMap) {}

  /** Draws `scenes` (replacing what was drawn) with the ramp range and opacity. */
  render(scenes: SceneScores[], range: RampRange, opacity: number, before?: string): void {
    const map = this.map;
    ensureOverlaysMarker(map);
    const wanted = new Set(scenes.map((s) => heatmapLayerId(s.sceneId)));
    for (const id of [...this.shown]) if (!wanted.has(id)) this.remove(id);
    for (const s of scenes) {
      const id = heatmapLayerId(s.sceneId);
      const px = colourScores(s.scores, { ...range, belowAlpha: range.belowAlpha ?? BELOW_ALPHA });
      const image = new ImageData(px as Uint8ClampedArray<ArrayBuffer>, s.cols, s.rows);
      const coordinates = s.corners.map(([lon, lat]) => [lon, lat]) as [
        [number, number],
        [number, number],
        [number, number],
        [number, number],
      ];
      const src = map.getSource(id) as ImageSource | undefined;
      if (src) src.updateImage({ image, coordinates });
      else {
        map.addSource(id, { type: 'image', coordinates } as never);
        (map.getSource(id) as ImageSource).updateImage({ image, coordinates });
        map.addLayer(
          {
            id,
            type: 'raster',
            source: id,
            paint: { 'raster-opacity': opacity, 'raster-resampling': 'nearest', 'raster-fade-duration': 0 },
          },
          before && map.getLayer(before) ? before : undefined,
        );
        this.shown.add(id);
      }
      map.setPaintProperty(id, 'raster-opacity', opacity);
    }
  }

  setOpacity(opacity: number): void {
    for (const id of this.shown)
      if (this.map.getLayer(id)) this.map.setPaintProperty(id, 'raster-opacity', opacity);
  }

  clear(): void {
    for (const id of [...this.shown]) this.remove(id);
  }

  /** Layer ids drawn now (the detections go above the first of them). */
  layerIds(): string[] {
    return [...this.shown];
  }

  dispose(): void {
    try {
      this.clear();
    } catch {
      this.shown.clear();
    }
  }

  private remove(id: string): void {
    if (this.map.getLayer(id)) this.map.removeLayer(id);
    if (this.map.getSource(id)) this.map.removeSource(id);
    this.shown.delete(id);
  }
}
