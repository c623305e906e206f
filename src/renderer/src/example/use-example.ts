import type { Map as MlMap, MapMouseEvent } from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { useLatest } from '../search/use-latest';
import type { ExamplePoint, SearchState } from '../search/use-search';
import { sceneAt } from '../segment/use-segment';
import { ExampleLayer, type ShownExample } from './example-layer';
import { footprintIn } from './patch-footprint';

/** The contract's limit on example points per query. */
export const MAX_EXAMPLES = 100;

export interface ExampleItem extends ExamplePoint {
  id: number;
  /** Name of the open scene the click fell in. */
  scene: string;
}

export interface ExampleState {
  /** "Find similar" mode: map clicks add examples. */
  on: boolean;
  setOn(on: boolean): void;
  items: ExampleItem[];
  /** Adds an example at lon/lat (label 1 positive, 0 negative) and re-runs the query. */
  add(lon: number, lat: number, label: 0 | 1): void;
  /** Keyboard route: the map centre as an example (pan with the arrow keys first). */
  addCentre(label: 0 | 1): void;
  remove(id: number): void;
  clear(): void;
  error: string | null;
  /** The items as drawn (patch squares where a result grid holds them). */
  shown: ShownExample[];
}

/** "by example (2+, 1−)": the label the host gives such a query. */
export function exampleLabel(items: readonly ExamplePoint[]): string {
  const pos = items.filter((p) => p.label === 1).length;
  return `by example (${pos}+, ${items.length - pos}−)`;
}

/**
 * Query by example: with the mode on, a click on the map adds a positive example patch and a
 * shift-click a negative one; every change re-runs 'query.byExample' through the Search tab's
 * query runner, so the heatmap, detections and counts are drawn as for a text query. A click the
 * host rejects (no indexed patch there) is dropped again with its reason.
 */
export function useExample(map: MlMap | null, scenes: SceneInfoJson[], search: SearchState): ExampleState {
  const [on, setOn] = useState(false);
  const [items, setItems] = useState<ExampleItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  // The list as of the last change, read synchronously: two quick clicks must both count.
  const current = useRef<ExampleItem[]>([]);
  const seq = useRef(0);
  const layer = useRef<ExampleLayer | null>(null);
  const latest = useLatest({ on, scenes, search });

  const apply = useCallback(
    async (next: ExampleItem[], added?: ExampleItem) => {
      current.current = next;
      setItems(next);
      setError(null);
      const { search: s } = latest.current;
      const byExample = s.result?.text.startsWith('by example') ?? false;
      if (next.length === 0) {
        if (byExample) s.clearResult();
        return;
      }
      if (!next.some((p) => p.label === 1)) {
        if (byExample) s.clearResult();
        setError(
          'Only negative examples: click (without Shift) a patch of what you are looking for; the query needs at least one positive.',
        );
        return;
      }
      const err = await s.runExample(next.map(({ lon, lat, label }) => ({ lon, lat, label })));
      if (!err) return;
      if (added && current.current.includes(added)) {
        // The host could not use the new point: take it back out so the list matches the result shown.
        current.current = current.current.filter((p) => p !== added);
        setItems(current.current);
        setError(`That ${added.label ? 'positive' : 'negative'} example was not added: ${err}`);
      } else setError(err);
    },
    [latest],
  );

  const add = useCallback(
    (lon: number, lat: number, label: 0 | 1) => {
      const { scenes: sc, search: s } = latest.current;
      const scene = sceneAt(sc, lon, lat);
      if (!scene)
        return setError('That click is outside every open scene: click a patch of an indexed scene.');
      const ix = s.indexes.find((i) => i.sceneId === scene.id && i.packId === s.packId);
      if (!ix || ix.chunksDone === 0)
        return setError(
          `${scene.name} is not indexed with ${s.packId || 'a pack'} yet: index it (Scenes above), then click its patches.`,
        );
      if (current.current.length >= MAX_EXAMPLES)
        return setError(`At most ${MAX_EXAMPLES} examples: remove some first.`);
      seq.current += 1;
      const item: ExampleItem = { id: seq.current, lon, lat, label, scene: scene.name };
      void apply([...current.current, item], item);
    },
    [apply, latest],
  );

  useEffect(() => {
    if (!map) return;
    const onClick = (e: MapMouseEvent) => {
      if (!latest.current.on) return;
      add(e.lngLat.lng, e.lngLat.lat, e.originalEvent.shiftKey ? 0 : 1);
    };
    const ready = () => {
      layer.current = new ExampleLayer(map);
    };
    if (map.getLayer('background') || map.loaded()) ready();
    else map.once('load', ready);
    map.on('click', onClick);
    return () => {
      map.off('click', onClick);
      layer.current?.dispose();
      layer.current = null;
    };
  }, [map, add, latest]);

  // The crosshair says the next click picks an example. MapLibre's box zoom takes shift-mousedown
  // and suppresses the click after it, so it is off while shift-click means "negative example".
  useEffect(() => {
    if (!map) return;
    map.getCanvas().style.cursor = on ? 'crosshair' : '';
    if (on) map.boxZoom.disable();
    else map.boxZoom.enable();
  }, [map, on]);

  const grid = search.result?.scenes;
  const shown: ShownExample[] = items.map((p, i) => ({
    n: i + 1,
    lon: p.lon,
    lat: p.lat,
    label: p.label,
    ring: grid ? (footprintIn(grid, p.lon, p.lat)?.ring ?? null) : null,
  }));
  const shownKey = JSON.stringify(shown);
  useEffect(() => {
    layer.current?.set(shown);
    // shown is derived from items and the result grid; its JSON is the dependency
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shownKey]);

  return {
    on,
    setOn: (v) => {
      setOn(v);
      if (!v) setError(null);
    },
    items,
    add,
    addCentre: (label) => {
      if (!map) return;
      const c = map.getCenter();
      add(c.lng, c.lat, label);
    },
    remove: (id) => void apply(current.current.filter((p) => p.id !== id)),
    clear: () => void apply([]),
    error,
    shown,
  };
}
