import { useClient } from '../api/client-context';
import { callApi, type QueryResult } from '../search/search-api';
import { formatRate } from '../jobs/job-rate';
import { percentOf, useJob } from '../search/use-job';
import { ExportForm } from './export-form';
import { SEGMENTER_COLOURS } from './segment-layer';
import type { SegmentState } from './use-segment';

/** Segment tab: segment all detections (a job), the click tool, the instance list and export. */
export function SegmentPanel({
  seg,
  result,
  projectDir,
}: {
  seg: SegmentState;
  result: QueryResult | null;
  projectDir: string | null;
}) {
  const client = useClient();
  const job = useJob(seg.detectionsJobId, seg.onDetectionsFinished);
  const running = !!seg.detectionsJobId;
  const nDet = result?.detections.features.length ?? 0;
  return (
    <div className="segment-panel" data-testid="segment-panel">
      <h3>Detections</h3>
      <div className="row">
        <button
          disabled={!result || nDet === 0 || running}
          onClick={() => result && void seg.segmentDetections(result.queryId)}
          aria-label="Segment all detections"
          data-testid="segment-all"
        >
          Segment all {nDet ? `${nDet} ` : ''}detections
        </button>
        {running && (
          <button
            aria-label="Cancel segmenting detections"
            onClick={() => void callApi(client, 'jobs.cancel', { jobId: seg.detectionsJobId! })}
          >
            Cancel
          </button>
        )}
      </div>
      {!result && <p className="muted small">Run a query first (Search tab).</p>}
      {running && (
        <div className="index-progress" data-testid="segment-progress">
          <progress
            max={100}
            value={job ? percentOf(job.done, job.total) : 0}
            aria-label="Segmenting detections"
          />
          <span className="muted small">
            {job ? `${percentOf(job.done, job.total)}% · ${job.done}/${job.total} ${job.phase}` : 'starting…'}
            {job?.rate ? ` · ${formatRate(job.rate, job.phase || 'items')}` : ''}
          </span>
        </div>
      )}
      {seg.detectionsResult && (
        <p className="summary" data-testid="segment-result" data-count={seg.detectionsResult.count}>
          Segmented <strong>{seg.detectionsResult.count}</strong> object
          {seg.detectionsResult.count === 1 ? '' : 's'} with{' '}
          <span
            className="seg-chip"
            style={{ borderColor: SEGMENTER_COLOURS[seg.detectionsResult.segmenter] }}
          >
            {seg.detectionsResult.segmenter}
          </span>{' '}
          — ready to export.
        </p>
      )}

      <h3>Segment tool</h3>
      <div className="row">
        <button
          aria-pressed={seg.toolOn}
          onClick={() => seg.setToolOn(!seg.toolOn)}
          aria-label="Segment tool"
          data-testid="segment-tool"
        >
          {seg.toolOn ? '◉ Segment tool on' : '○ Segment tool'}
        </button>
        {seg.busy && <span className="muted small">segmenting…</span>}
      </div>
      <p className="muted small">
        Click = a new object (positive point) · Shift-click = negative point for the selected object · Delete
        removes it.
      </p>
      <div className="legend-row" aria-label="Segmenter legend">
        {Object.entries(SEGMENTER_COLOURS).map(([k, c]) => (
          <span key={k} className="seg-chip" style={{ borderColor: c }}>
            {k}
          </span>
        ))}
      </div>
      {seg.error && (
        <div className="error" role="alert" data-testid="segment-error">
          {seg.error}
        </div>
      )}
      {seg.instances.length > 0 && (
        <ul className="roi-list" aria-label="Instances" data-testid="instance-list">
          {seg.instances.map((i, n) => (
            <li
              key={i.key}
              className={i.key === seg.selected ? 'roi-item active' : 'roi-item'}
              data-testid="instance-item"
              data-segmenter={i.segmenter}
            >
              <button
                className="grow link"
                aria-pressed={i.key === seg.selected}
                onClick={() => seg.select(i.key)}
              >
                Object {n + 1}{' '}
                <span className="seg-chip" style={{ borderColor: SEGMENTER_COLOURS[i.segmenter] }}>
                  {i.segmenter}
                </span>{' '}
                <span className="muted small">
                  {(Number(i.feature.properties.area_m2) / 1e4).toFixed(3)} ha
                </span>
              </button>
              <button aria-label={`Delete object ${n + 1}`} onClick={() => seg.remove(i.key)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}

      <h3>Export</h3>
      <ExportForm
        queryId={seg.detectionsResult?.queryId ?? null}
        projectDir={projectDir}
        queryText={result?.text ?? ''}
      />
    </div>
  );
}
