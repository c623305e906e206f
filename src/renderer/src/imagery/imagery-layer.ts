import type { z } from 'zod';
import type { RenderKindSchema, SceneInfoJson } from '../../../shared/contract/imagery';

export type RenderKind = z.infer<typeof RenderKindSchema>;

/** One open scene as the map shows it. The list is kept newest (topmost on the map) first. */
export interface ImageryLayer {
  scene: SceneInfoJson;
  visible: boolean;
  /** 0..1 */
  opacity: number;
  render: RenderKind;
}

export type LayersAction =
  | { type: 'add'; scene: SceneInfoJson }
  | { type: 'restore'; scenes: SceneInfoJson[] }
  | { type: 'remove'; id: string }
  | { type: 'move'; id: string; by: -1 | 1 }
  | { type: 'update'; id: string; patch: Partial<Omit<ImageryLayer, 'scene'>> };

function newLayer(scene: SceneInfoJson): ImageryLayer {
  return { scene, visible: true, opacity: 1, render: 'truecolor' };
}

/**
 * Layer list reducer. `move` by -1 goes up the list (drawn higher on the map). Opening a scene
 * that is already open (hosts key scenes by their sources) brings it to the top instead of
 * adding a duplicate.
 */
export function layersReducer(layers: ImageryLayer[], action: LayersAction): ImageryLayer[] {
  switch (action.type) {
    case 'add': {
      const existing = layers.find((l) => l.scene.id === action.scene.id);
      const rest = layers.filter((l) => l.scene.id !== action.scene.id);
      return [
        existing ? { ...existing, scene: action.scene, visible: true } : newLayer(action.scene),
        ...rest,
      ];
    }
    case 'restore': {
      const known = new Set(layers.map((l) => l.scene.id));
      // imagery.list returns the opening order; the newest belongs on top.
      const added = action.scenes
        .filter((s) => !known.has(s.id))
        .reverse()
        .map(newLayer);
      return [...layers, ...added];
    }
    case 'remove':
      return layers.filter((l) => l.scene.id !== action.id);
    case 'move': {
      const i = layers.findIndex((l) => l.scene.id === action.id);
      const j = i + action.by;
      if (i < 0 || j < 0 || j >= layers.length) return layers;
      const next = [...layers];
      [next[i], next[j]] = [next[j]!, next[i]!];
      return next;
    }
    case 'update':
      return layers.map((l) => (l.scene.id === action.id ? { ...l, ...action.patch } : l));
  }
}
