export { openScene, sceneId, type OpenSceneOptions } from './open-scene';
export {
  Scene,
  type SceneInfo,
  type StretchInfo,
  type PixelWindow,
  type ReadWindowOptions,
  type WindowData,
  type BandRef,
} from './scene';
export { SceneRegistry } from './scene-registry';
export {
  renderTile,
  renderTileRgba,
  tileBoundsMercator,
  type RenderKind,
  type RenderTileOptions,
} from './render-tile';
export { imageryHandlers, type ImageryHandlers, type HandlerContext } from './handlers';
export { PROFILE_IDS, type ProfileId } from './profiles';
export { epsgToProj4, type Crs } from './crs';
export type { GeoTransform } from './raster-source';
