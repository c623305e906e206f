import type { Map as MlMap } from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RoiGeometry } from '../../../shared/contract/search';
import { useClient } from '../api/client-context';
import { errorText } from '../search/error-text';
import { callApi, type ProjectRoi } from '../search/search-api';
import { RoiDraw, type DrawTool } from './roi-draw';
import { RoiLayer } from './roi-layer';
import { useLatest } from '../search/use-latest';

export interface RoiState {
  rois: ProjectRoi[];
  selectedId: string | null;
  select(id: string | null): void;
  tool: DrawTool | null;
  startDraw(tool: Exclude<DrawTool, 'edit'>): void;
  edit(id: string): void;
  /** Esc: stops drawing/editing; a half-drawn shape is dropped. */
  cancelDraw(): void;
  remove(id: string): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  importGeoJson(text: string, name?: string): Promise<number>;
  error: string | null;
}

/**
 * The project's ROIs: listed from the host, drawn with Terra Draw, saved/updated/deleted
 * through roi.*; `onChanged` runs after every change so the results re-query their counts.
 */
export function useRois(map: MlMap | null, projectDir: string | null, onChanged: () => void): RoiState {
  const client = useClient();
  const [rois, setRois] = useState<ProjectRoi[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [tool, setTool] = useState<DrawTool | null>(null);
  const [error, setError] = useState<string | null>(null);
  const draw = useRef<RoiDraw | null>(null);
  const layer = useRef<RoiLayer | null>(null);
  const changed = useLatest(onChanged);

  const reload = useCallback(async () => {
    if (!projectDir) return setRois([]);
    setRois(await callApi(client, 'roi.list', {}).catch(() => []));
  }, [client, projectDir]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const afterChange = useCallback(async () => {
    await reload();
    changed.current();
  }, [reload, changed]);

  const add = useCallback(
    async (geometry: RoiGeometry) => {
      setTool(null);
      setError(null);
      if (!projectDir) return setError('Open or create a project first: ROIs are saved in it');
      try {
        const roi = await callApi(client, 'roi.add', { name: `ROI ${rois.length + 1}`, geometry });
        setSelectedId(roi.id);
        await afterChange();
      } catch (err) {
        setError(errorText(err));
      }
    },
    [client, projectDir, afterChange, rois.length],
  );

  const update = useCallback(
    async (id: string, geometry: RoiGeometry) => {
      try {
        await callApi(client, 'roi.update', { id, geometry });
        await afterChange();
      } catch (err) {
        setError(errorText(err));
      }
    },
    [client, afterChange],
  );

  // Terra Draw keeps the callbacks it was built with: route them through refs to the latest.
  const addRef = useLatest(add);
  const updateRef = useLatest(update);

  useEffect(() => {
    if (!map) return;
    const ready = () => {
      layer.current = new RoiLayer(map);
      draw.current = new RoiDraw(
        map,
        (g) => void addRef.current(g),
        (id, g) => void updateRef.current(id, g),
      );
    };
    if (map.getLayer('background') || map.loaded()) ready();
    else map.once('load', ready);
    return () => {
      draw.current?.dispose();
      layer.current?.dispose();
      draw.current = null;
      layer.current = null;
    };
  }, [map, addRef, updateRef]);

  useEffect(() => layer.current?.set(rois, selectedId), [rois, selectedId]);

  const remove = useCallback(
    async (id: string) => {
      setError(null);
      try {
        await callApi(client, 'roi.delete', { id });
        setSelectedId((s) => (s === id ? null : s));
        draw.current?.cancel();
        setTool(null);
        await afterChange();
      } catch (err) {
        setError(errorText(err));
      }
    },
    [client, afterChange],
  );

  return {
    rois,
    selectedId,
    select: setSelectedId,
    tool,
    startDraw: (t) => {
      setError(null);
      if (!projectDir) return setError('Open or create a project first: ROIs are saved in it');
      draw.current?.start(t);
      setTool(t);
    },
    edit: (id) => {
      const r = rois.find((x) => x.id === id);
      if (!r) return;
      if (r.geometry.type !== 'Polygon')
        return setError(`${r.name} is a MultiPolygon: only single polygons can be edited on the map`);
      setSelectedId(id);
      draw.current?.edit(id, r.geometry);
      setTool('edit');
    },
    cancelDraw: () => {
      draw.current?.cancel();
      setTool(null);
    },
    remove,
    rename: async (id, name) => {
      try {
        await callApi(client, 'roi.update', { id, name });
        await afterChange();
      } catch (err) {
        setError(errorText(err));
      }
    },
    importGeoJson: async (text, name) => {
      setError(null);
      try {
        const added = await callApi(client, 'roi.import', { geojson: text, ...(name ? { name } : {}) });
        await afterChange();
        return added.length;
      } catch (err) {
        setError(errorText(err));
        return 0;
      }
    },
    error,
  };
}
