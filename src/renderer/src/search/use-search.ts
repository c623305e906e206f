import type { Map as MlMap } from 'maplibre-gl';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { useClient } from '../api/client-context';
import type { ProjectState } from '../project/use-project';
import { errorText } from './error-text';
import { HeatmapLayers } from './heatmap-layer';
import { ResultsLayers } from './results-layers';
import {
  callApi,
  type IndexStatus,
  type PackSummary,
  type ProjectQuery,
  type QueryResult,
  type TopPatch,
} from './search-api';

export interface ScoreRange {
  min: number;
  max: number;
  /** Median score (lowest scene median): the ramp starts here so the best scores spread over its colours. */
  p50: number;
}

export interface SearchState {
  packs: PackSummary[];
  packId: string;
  setPackId(id: string): void;
  indexes: IndexStatus[];
  /** sceneId → running index job id */
  indexJobs: Record<string, string>;
  /** Adds the scene to the project and starts indexing it; force = index despite a far-off GSD. */
  indexScene(scene: SceneInfoJson, force?: boolean): Promise<void>;
  onIndexFinished(sceneId: string): void;
  text: string;
  setText(t: string): void;
  run(text?: string, threshold?: number): Promise<void>;
  running: boolean;
  error: string | null;
  result: QueryResult | null;
  range: ScoreRange | null;
  /** Display threshold: re-colours the heatmap at once; detections follow on applyThreshold. */
  threshold: number;
  setThreshold(t: number): void;
  applyThreshold(): Promise<void>;
  opacity: number;
  setOpacity(o: number): void;
  history: ProjectQuery[];
  loadHistory(): Promise<void>;
  selectedPatch: TopPatch | null;
  selectPatch(p: TopPatch | null): void;
  /** Re-runs the current query (ROIs changed); no-op without one. */
  rerun(): Promise<void>;
  /** Query by example ('query.byExample'); resolves to the error text (null when it ran or was superseded). Shows no error itself. */
  runExample(points: ExamplePoint[], threshold?: number): Promise<string | null>;
  /** Drops the shown result (heatmap, detections). */
  clearResult(): void;
}

/** A clicked example patch: label 1 positive, 0 negative. */
export interface ExamplePoint {
  lon: number;
  lat: number;
  label: 0 | 1;
}

/** The last query run, to re-run it at another threshold or after ROI edits. */
type LastQuery = { text: string; threshold?: number } | { points: ExamplePoint[]; threshold?: number };

/** The default pack for the open scenes: the starter pack of the first scene's sensor, else any starter, else the first. */
export function defaultPack(packs: PackSummary[], scenes: SceneInfoJson[]): string {
  const enc = packs.filter((p) => p.roles.includes('patch_encoder'));
  const sensor = scenes[0]?.profile === 'sentinel2-l2a' ? 'sentinel2' : 'naip';
  const starter = enc.filter((p) => p.source === 'starter');
  return (starter.find((p) => p.sensor.startsWith(sensor)) ?? starter[0] ?? enc[0])?.id ?? '';
}

/** Score range over all scenes of a result (the legend's and the slider's ends). */
export function resultRange(r: QueryResult): ScoreRange | null {
  const s = r.scenes.filter((x) => x.stats.n > 0);
  if (!s.length) return null;
  return {
    min: Math.min(...s.map((x) => x.stats.min)),
    max: Math.max(...s.map((x) => x.stats.max)),
    p50: Math.min(...s.map((x) => x.stats.p50)),
  };
}

/** Everything the Search tab does: packs, indexing, text queries, heatmap and result layers. */
export function useSearch(map: MlMap | null, scenes: SceneInfoJson[], project: ProjectState): SearchState {
  const client = useClient();
  const [packs, setPacks] = useState<PackSummary[]>([]);
  const [packId, setPackId] = useState('');
  const [indexes, setIndexes] = useState<IndexStatus[]>([]);
  const [indexJobs, setIndexJobs] = useState<Record<string, string>>({});
  const [text, setText] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<QueryResult | null>(null);
  const [threshold, setThreshold] = useState(0);
  const [opacity, setOpacity] = useState(0.75);
  const [history, setHistory] = useState<ProjectQuery[]>([]);
  const [selectedPatch, setSelectedPatch] = useState<TopPatch | null>(null);
  const heat = useRef<HeatmapLayers | null>(null);
  const layers = useRef<ResultsLayers | null>(null);
  const abort = useRef<AbortController | null>(null);
  const lastQuery = useRef<LastQuery | null>(null);
  const projectDir = project.project?.dir ?? null;

  useEffect(() => {
    callApi(client, 'packs.list', {}).then(
      (r) => setPacks(r.packs.filter((p) => p.roles.includes('patch_encoder'))),
      (err) => setError(`Model packs: ${errorText(err)}`),
    );
  }, [client]);

  useEffect(() => {
    if (!packId && packs.length) setPackId(defaultPack(packs, scenes));
  }, [packs, scenes, packId]);

  const refreshIndexes = useCallback(async () => {
    if (!projectDir) return setIndexes([]);
    try {
      setIndexes(await callApi(client, 'index.status', {}));
    } catch {
      setIndexes([]);
    }
  }, [client, projectDir]);
  useEffect(() => {
    void refreshIndexes();
  }, [refreshIndexes]);

  const loadHistory = useCallback(async () => {
    if (!projectDir) return;
    setHistory(await callApi(client, 'query.history', {}).catch(() => []));
  }, [client, projectDir]);
  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);

  // Map layers live as long as the map; they are filled from the result below.
  useEffect(() => {
    if (!map) return;
    const ready = () => {
      heat.current = new HeatmapLayers(map);
      layers.current = new ResultsLayers(map);
    };
    if (map.getLayer('background') || map.loaded()) ready();
    else map.once('load', ready);
    return () => {
      heat.current?.dispose();
      layers.current?.dispose();
      heat.current = null;
      layers.current = null;
    };
  }, [map]);

  const range = useMemo(() => (result ? resultRange(result) : null), [result]);

  // Threshold/range: re-colour only. The scores stay the Float32Arrays of the last response.
  useEffect(() => {
    if (!heat.current) return;
    if (!result || !range) return heat.current.clear();
    heat.current.render(
      result.scenes,
      { min: Math.min(range.p50, threshold), max: range.max, threshold },
      opacity,
      layers.current ? 'search-detections-fill' : undefined,
    );
    // Opacity has its own effect: a slider drag must not re-colour.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result, range, threshold]);
  useEffect(() => heat.current?.setOpacity(opacity), [opacity]);
  useEffect(() => layers.current?.setDetections(result), [result]);
  useEffect(() => layers.current?.setSelectedPatch(selectedPatch), [selectedPatch]);

  /** Runs a text or by-example query; the newest call wins. Returns the error text (null: shown or superseded). */
  const execute = useCallback(
    async (q: LastQuery, report: boolean): Promise<string | null> => {
      const fail = (msg: string) => {
        if (report) setError(msg);
        return msg;
      };
      if (!projectDir) return fail('Open or create a project first (the bar above)');
      abort.current?.abort();
      const ac = new AbortController();
      abort.current = ac;
      setRunning(true);
      setError(null);
      const opts = {
        ...(packId ? { packId } : {}),
        ...(q.threshold !== undefined ? { threshold: q.threshold } : {}),
      };
      try {
        const r =
          'points' in q
            ? await callApi(client, 'query.byExample', { points: q.points, ...opts }, ac.signal)
            : await callApi(client, 'query.run', { text: q.text, ...opts }, ac.signal);
        if (ac.signal.aborted) return null;
        lastQuery.current = q;
        setResult(r);
        setThreshold(r.threshold);
        setSelectedPatch(null);
        void loadHistory();
        return null;
      } catch (err) {
        return ac.signal.aborted ? null : fail(errorText(err));
      } finally {
        if (abort.current === ac) setRunning(false);
      }
    },
    [client, packId, projectDir, loadHistory],
  );

  const run = useCallback(
    async (q?: string, thr?: number) => {
      const t = (q ?? text).trim();
      if (t) await execute({ text: t, threshold: thr }, true);
    },
    [text, execute],
  );

  const indexScene = useCallback(
    async (scene: SceneInfoJson, force = false) => {
      setError(null);
      if (!projectDir) return setError('Open or create a project first (the bar above)');
      if (!packId) return setError('No patch-encoder pack is installed (see the Models tab)');
      try {
        const entry = await callApi(client, 'project.addScene', {
          sources: scene.sources,
          profile: scene.profile,
        });
        const { jobId } = await callApi(client, 'index.start', {
          sceneId: entry.id,
          packId,
          forceGsd: force,
        });
        setIndexJobs((m) => ({ ...m, [scene.id]: jobId }));
        void project.refresh();
      } catch (err) {
        setError(`${scene.name}: ${errorText(err)}`);
      }
    },
    [client, packId, projectDir, project],
  );

  const onIndexFinished = useCallback(
    (sceneId: string) => {
      setIndexJobs((m) => {
        const next = { ...m };
        delete next[sceneId];
        return next;
      });
      void refreshIndexes();
      void project.refresh();
    },
    [refreshIndexes, project],
  );

  const selectPatch = useCallback(
    (p: TopPatch | null) => {
      setSelectedPatch(p);
      if (p && map) {
        const [w, s, e, n] = p.bboxWgs84;
        map.fitBounds(
          [
            [w, s],
            [e, n],
          ],
          { padding: 160, maxZoom: 18, duration: 500 },
        );
      }
    },
    [map],
  );

  return {
    packs,
    packId,
    setPackId,
    indexes,
    indexJobs,
    indexScene,
    onIndexFinished,
    text,
    setText,
    run,
    running,
    error,
    result,
    range,
    threshold,
    setThreshold,
    applyThreshold: async () => {
      const last = lastQuery.current;
      if (last && 'points' in last) await execute({ points: last.points, threshold }, true);
      else await run(result?.text ?? text, threshold);
    },
    opacity,
    setOpacity,
    history,
    loadHistory,
    selectedPatch,
    selectPatch,
    rerun: async () => {
      if (lastQuery.current) await execute(lastQuery.current, true);
    },
    runExample: (points, thr) => execute({ points, threshold: thr }, false),
    clearResult: () => {
      abort.current?.abort();
      lastQuery.current = null;
      setResult(null);
      setSelectedPatch(null);
      setError(null);
    },
  };
}
