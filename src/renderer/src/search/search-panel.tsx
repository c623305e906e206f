import type { ReactNode } from 'react';
import type { SceneInfoJson } from '../../../shared/contract/imagery';
import { ProjectBar } from '../project/project-bar';
import type { ProjectState } from '../project/use-project';
import { IndexRow } from './index-row';
import { ScoreLegend } from './score-legend';
import { TopKList } from './top-k-list';
import type { SearchState } from './use-search';

const km2 = (m2: number) => (m2 >= 1e6 ? `${(m2 / 1e6).toFixed(2)} km²` : `${(m2 / 1e4).toFixed(2)} ha`);

/** Search tab: project, pack, indexing per open scene, the query box (children: more query tools under it) and its results. */
export function SearchPanel({
  search,
  scenes,
  project,
  children,
}: {
  search: SearchState;
  scenes: SceneInfoJson[];
  project: ProjectState;
  children?: ReactNode;
}) {
  const s = search;
  const r = s.result;
  const step = s.range ? Math.max(1e-4, (s.range.max - s.range.min) / 200) : 0.01;
  const detections = r?.detections.features ?? [];
  const detArea = detections.reduce((a, f) => a + f.properties.area_m2, 0);
  return (
    <div className="search-panel" data-testid="search-panel">
      <ProjectBar state={project} />

      <label className="field">
        <span>Model pack</span>
        <select
          aria-label="Model pack"
          value={s.packId}
          onChange={(e) => s.setPackId(e.target.value)}
          data-testid="pack-select"
        >
          {s.packs.length === 0 && <option value="">(no patch-encoder pack)</option>}
          {s.packs.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.id}, {p.sensor}, {p.gsd_m} m)
            </option>
          ))}
        </select>
      </label>

      <h3>Scenes</h3>
      {scenes.length === 0 ? (
        <p className="muted">Open imagery (Layers tab or Ctrl+O) to index it.</p>
      ) : (
        <ul className="index-list">
          {scenes.map((sc) => (
            <IndexRow
              key={sc.id}
              scene={sc}
              packId={s.packId}
              status={s.indexes.find((i) => i.sceneId === sc.id && i.packId === s.packId)}
              jobId={s.indexJobs[sc.id]}
              onIndex={(force) => void s.indexScene(sc, force)}
              onFinished={() => s.onIndexFinished(sc.id)}
            />
          ))}
        </ul>
      )}

      <h3>Query</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void s.run();
        }}
      >
        <input
          className="grow"
          aria-label="Query text"
          placeholder='e.g. "ponds" — Enter runs'
          value={s.text}
          onChange={(e) => s.setText(e.target.value)}
          data-testid="query-input"
        />
        <button type="submit" disabled={s.running || !s.text.trim()} aria-label="Run query">
          {s.running ? '…' : 'Search'}
        </button>
      </form>
      {children}
      {s.history.length > 0 && (
        <select
          aria-label="Query history"
          className="history"
          value=""
          onChange={(e) => {
            const q = s.history.find((h) => h.id === e.target.value);
            if (q && !q.text.startsWith('by example')) {
              s.setText(q.text);
              void s.run(q.text);
            }
          }}
        >
          <option value="">History ({s.history.length})…</option>
          {s.history.slice(0, 30).map((h) => (
            <option key={h.id} value={h.id}>
              {h.text} — {h.count} det. @ {h.threshold.toFixed(3)} ({h.packId})
            </option>
          ))}
        </select>
      )}
      {s.error && (
        <div className="error" role="alert" data-testid="search-error">
          {s.error}
        </div>
      )}

      {r && s.range && (
        <div className="results" data-testid="search-results" data-query-id={r.queryId}>
          <ScoreLegend
            min={s.range.min}
            rampMin={Math.min(s.range.p50, s.threshold)}
            max={s.range.max}
            threshold={s.threshold}
          />
          <label className="field">
            <span>
              Threshold <output data-testid="threshold-value">{s.threshold.toFixed(3)}</output>
              <span className="muted small">
                {' '}
                ({r.thresholdSource === 'auto' && s.threshold === r.threshold ? 'auto' : 'set'})
              </span>
            </span>
            <input
              type="range"
              aria-label="Score threshold"
              min={s.range.min}
              max={s.range.max}
              step={step}
              value={s.threshold}
              onChange={(e) => s.setThreshold(Number(e.target.value))}
              data-testid="threshold-slider"
            />
          </label>
          {Math.abs(s.threshold - r.threshold) > 1e-9 && (
            <button
              onClick={() => void s.applyThreshold()}
              aria-label="Update detections at this threshold"
              data-testid="apply-threshold"
            >
              Update detections at {s.threshold.toFixed(3)}
            </button>
          )}
          <label className="field">
            <span>Heatmap opacity {Math.round(s.opacity * 100)}%</span>
            <input
              type="range"
              aria-label="Heatmap opacity"
              min={0}
              max={1}
              step={0.05}
              value={s.opacity}
              onChange={(e) => s.setOpacity(Number(e.target.value))}
              data-testid="opacity-slider"
            />
          </label>
          <p className="summary" data-testid="detection-summary" data-count={detections.length}>
            <strong data-testid="detection-count">{detections.length}</strong> detection
            {detections.length === 1 ? '' : 's'} of “{r.text}” · {km2(detArea)}
            {r.cached ? <span className="muted small"> (cached scores)</span> : null}
          </p>
          {r.scenes.some((x) => !x.complete) && (
            <p className="muted small">Indexing is still running: unwritten chunks have no score yet.</p>
          )}
          {r.counts.length > 0 && (
            <table className="counts" aria-label="Counts per ROI">
              <tbody>
                {r.counts.map((c) => (
                  <tr key={c.roiId}>
                    <td>{c.name}</td>
                    <td className="num">{c.count}</td>
                    <td className="num">{km2(c.areaM2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Best patches</h3>
          <TopKList items={r.topK} selected={s.selectedPatch} onSelect={s.selectPatch} />
        </div>
      )}
    </div>
  );
}
