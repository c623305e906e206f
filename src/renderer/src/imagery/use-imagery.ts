import type { Map as MlMap } from 'maplibre-gl';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { useClient } from '../api/client-context';
import { layersReducer, type ImageryLayer, type RenderKind } from './imagery-layer';
import { ImageryMapSync, zoomToScene } from './map-imagery-sync';

export interface Imagery {
  layers: ImageryLayer[];
  selectedId: string | null;
  select(id: string | null): void;
  /** Opens one scene (several sources = band files stacked) and zooms to it; rejects with the host's error. */
  open(
    sources: string[],
    profile: SceneInfoJson['profile'] | null,
    signal?: AbortSignal,
  ): Promise<SceneInfoJson>;
  close(id: string): Promise<void>;
  move(id: string, by: -1 | 1): void;
  setVisible(id: string, visible: boolean): void;
  setOpacity(id: string, opacity: number): void;
  setRender(id: string, render: RenderKind): void;
  zoomTo(id: string): void;
}

/** True once the map's style is parsed, so sources and layers may be added. */
function useStyleReady(map: MlMap | null): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!map) return;
    // isStyleLoaded() is also false while tiles load; a parsed style already has its layers.
    if (map.getLayer('background') || map.loaded()) {
      setReady(true);
      return;
    }
    const on = () => setReady(true);
    map.once('load', on);
    return () => {
      map.off('load', on);
    };
  }, [map]);
  return ready;
}

/** The open scenes, their map layers and every action the imagery UI offers. */
export function useImagery(map: MlMap | null): Imagery {
  const client = useClient();
  const [layers, dispatch] = useReducer(layersReducer, []);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const ready = useStyleReady(map);
  const sync = useRef<ImageryMapSync | null>(null);

  // Scenes the host still holds (a reload of the page) come back as layers.
  useEffect(() => {
    client.request('imagery.list', {}).then(
      (scenes) => dispatch({ type: 'restore', scenes }),
      () => undefined,
    );
  }, [client]);

  useEffect(() => {
    if (!map || !ready) return;
    const s = new ImageryMapSync(map, (id, render) => client.tileTemplate(id, render));
    sync.current = s;
    return () => {
      s.dispose();
      sync.current = null;
    };
  }, [map, ready, client]);

  useEffect(() => {
    sync.current?.sync(layers);
  }, [layers, map, ready]);

  const open = useCallback(
    async (sources: string[], profile: SceneInfoJson['profile'] | null, signal?: AbortSignal) => {
      const scene = await client.request(
        'imagery.open',
        profile ? { sources, profile } : { sources },
        signal,
      );
      dispatch({ type: 'add', scene });
      setSelectedId(scene.id);
      if (map) zoomToScene(map, scene);
      return scene;
    },
    [client, map],
  );

  const close = useCallback(
    async (id: string) => {
      dispatch({ type: 'remove', id });
      setSelectedId((s) => (s === id ? null : s));
      // The layer goes at once; a host that already forgot the scene is not an error worth showing.
      await client.request('imagery.close', { sceneId: id }).catch(() => undefined);
    },
    [client],
  );

  const zoomTo = (id: string) => {
    const layer = layers.find((l) => l.scene.id === id);
    if (map && layer) zoomToScene(map, layer.scene);
  };

  return {
    layers,
    selectedId,
    select: setSelectedId,
    open,
    close,
    move: (id, by) => dispatch({ type: 'move', id, by }),
    setVisible: (id, visible) => dispatch({ type: 'update', id, patch: { visible } }),
    setOpacity: (id, opacity) => dispatch({ type: 'update', id, patch: { opacity } }),
    setRender: (id, render) => dispatch({ type: 'update', id, patch: { render } }),
    zoomTo,
  };
}
