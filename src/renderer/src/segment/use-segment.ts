import type { Map as MlMap, MapMouseEvent } from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobInfo } from '../../../shared/contract/core';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { useClient } from '../api/client-context';
import { errorText } from '../search/error-text';
import { callApi, type ObjectFeature } from '../search/search-api';
import { useLatest } from '../search/use-latest';
import { SegmentLayer, type ClickMark, type ShownInstance } from './segment-layer';

/** One interactive object: its prompt points (first positive, then refinements) and its polygon(s). */
interface ClickObject {
  key: string;
  sceneId: string;
  points: ClickMark[];
  features: ObjectFeature[];
  segmenter: string;
}

export interface SegmentState {
  toolOn: boolean;
  setToolOn(on: boolean): void;
  busy: boolean;
  error: string | null;
  instances: ShownInstance[];
  selected: string | null;
  select(key: string | null): void;
  remove(key: string): void;
  /** Segments every detection of the current query (a job). */
  segmentDetections(queryId: string): Promise<void>;
  detectionsJobId: string | null;
  detectionsResult: { queryId: string; count: number; segmenter: string } | null;
  onDetectionsFinished(info: JobInfo): void;
  /** Last scene the tool segmented in (export defaults). */
  lastQuery: string;
}

/** The topmost open scene containing lon/lat (scenes are newest first). */
export function sceneAt(scenes: SceneInfoJson[], lon: number, lat: number): SceneInfoJson | null {
  return (
    scenes.find(
      (s) =>
        lon >= s.boundsWgs84[0] &&
        lon <= s.boundsWgs84[2] &&
        lat >= s.boundsWgs84[1] &&
        lat <= s.boundsWgs84[3],
    ) ?? null
  );
}

/**
 * The segment tool: with it on, a click makes a new object from a positive point, a shift-click
 * adds a negative point to the selected (else the last) object and re-segments it. Polygons are
 * drawn coloured by the segmenter that made them ('sam' or 'region-grow').
 */
export function useSegment(map: MlMap | null, scenes: SceneInfoJson[], queryText: string): SegmentState {
  const client = useClient();
  const [toolOn, setToolOn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [objects, setObjects] = useState<ClickObject[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [detectionsJobId, setDetectionsJobId] = useState<string | null>(null);
  const [detectionsResult, setDetectionsResult] = useState<SegmentState['detectionsResult']>(null);
  const layer = useRef<SegmentLayer | null>(null);
  const toolRef = useLatest(toolOn);
  const state = useLatest({ objects, selected, scenes, queryText });
  const seq = useRef(0);

  const segmentObject = useCallback(
    async (obj: ClickObject) => {
      setBusy(true);
      setError(null);
      try {
        const r = await callApi(client, 'segment.points', {
          sceneId: obj.sceneId,
          points: obj.points,
          query: state.current.queryText || 'click',
        });
        const next = { ...obj, features: r.features.features, segmenter: r.segmenter };
        if (r.skipped.length && !r.features.features.length)
          setError(`Nothing segmented: ${r.skipped.map((s) => s.reason).join('; ')}`);
        setObjects((list) =>
          list.some((o) => o.key === obj.key)
            ? list.map((o) => (o.key === obj.key ? next : o))
            : [...list, next],
        );
        setSelected(obj.key);
      } catch (err) {
        setError(errorText(err));
      } finally {
        setBusy(false);
      }
    },
    [client, state],
  );

  useEffect(() => {
    if (!map) return;
    const onMapClick = (e: MapMouseEvent) => {
      if (!toolRef.current) return;
      const { lng, lat } = e.lngLat;
      const shift = e.originalEvent.shiftKey;
      const { objects: objs, selected: sel, scenes: sc } = state.current;
      if (shift) {
        const target = objs.find((o) => o.key === sel) ?? objs[objs.length - 1];
        if (!target) return setError('Shift-click adds a negative point to an object: click an object first');
        void segmentObject({ ...target, points: [...target.points, { lon: lng, lat, label: 0 }] });
        return;
      }
      const scene = sceneAt(sc, lng, lat);
      if (!scene) return setError('Click inside an open scene to segment');
      seq.current += 1;
      void segmentObject({
        key: `obj-${seq.current}`,
        sceneId: scene.id,
        points: [{ lon: lng, lat, label: 1 }],
        features: [],
        segmenter: '',
      });
    };
    const ready = () => {
      layer.current = new SegmentLayer(
        map,
        (key) => setSelected(key),
        () => !toolRef.current,
      );
    };
    if (map.getLayer('background') || map.loaded()) ready();
    else map.once('load', ready);
    map.on('click', onMapClick);
    return () => {
      map.off('click', onMapClick);
      layer.current?.dispose();
      layer.current = null;
    };
  }, [map, segmentObject, toolRef, state]);

  // The crosshair says the next click prompts the segmenter. Box zoom owns shift-drag and would
  // swallow the shift-click that adds a negative point, so it is off while the tool is on.
  useEffect(() => {
    if (!map) return;
    map.getCanvas().style.cursor = toolOn ? 'crosshair' : '';
    if (toolOn) map.boxZoom.disable();
    else map.boxZoom.enable();
  }, [map, toolOn]);

  const instances: ShownInstance[] = objects.flatMap((o) =>
    o.features.map((f, i) => ({
      key: o.features.length > 1 ? `${o.key}#${i}` : o.key,
      feature: f,
      segmenter: o.segmenter,
    })),
  );
  const marks = objects.flatMap((o) => o.points);

  useEffect(() => {
    layer.current?.set(instances, selected, marks);
    // instances/marks derive from objects
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [objects, selected]);

  return {
    toolOn,
    setToolOn,
    busy,
    error,
    instances,
    selected,
    select: setSelected,
    remove: (key) => {
      const objKey = key.split('#')[0];
      setObjects((list) => list.filter((o) => o.key !== objKey));
      setSelected((s) => (s && s.split('#')[0] === objKey ? null : s));
    },
    segmentDetections: async (queryId) => {
      setError(null);
      setDetectionsResult(null);
      try {
        const { jobId } = await callApi(client, 'segment.detections', { queryId });
        setDetectionsJobId(jobId);
      } catch (err) {
        setError(errorText(err));
      }
    },
    detectionsJobId,
    detectionsResult,
    onDetectionsFinished: (info) => {
      if (info.state === 'done') {
        const result = info.result as NonNullable<SegmentState['detectionsResult']>;
        setDetectionsResult(result);
        // Draw what the job made: one object per feature, replacing an earlier run of this query.
        const prefix = `det-${result.queryId}-`;
        void callApi(client, 'segment.objects', { queryId: result.queryId }).then(
          ({ features }) =>
            setObjects((list) => [
              ...list.filter((o) => !o.key.startsWith(prefix)),
              ...features.features.map((f, i) => ({
                key: `${prefix}${i}`,
                sceneId: String(f.properties.scene_id ?? ''),
                points: [],
                features: [f],
                segmenter: String(f.properties.segmenter ?? result.segmenter),
              })),
            ]),
          (err: unknown) => setError(errorText(err)),
        );
      } else if (info.state === 'failed')
        setError(`Segmenting detections failed: ${info.error?.message ?? 'unknown error'}`);
      setDetectionsJobId(null);
    },
    lastQuery: queryText,
  };
}
