import type { ProjectRoi } from '../search/search-api';
import type { ClassifyState } from './use-classify';

const pct = (p: number) => `${(p * 100).toFixed(p >= 0.995 || p < 0.001 ? 0 : 1)} %`;

/** ROIs tab: zero-shot classification of the selected ROI against a label list, as a bar chart. */
export function ClassifyPanel({ cls, roi }: { cls: ClassifyState; roi: ProjectRoi | null }) {
  const r = cls.result;
  const shown = r ? [...r.labels].sort((a, b) => b.probability - a.probability) : [];
  return (
    <section className="classify-panel" aria-label="Classify the selected ROI" data-testid="classify-panel">
      <h3>Classify</h3>
      <p className="muted small" data-testid="classify-target">
        {roi ? (
          <>
            ROI: <strong>{roi.name}</strong>
          </>
        ) : (
          'Select an ROI in the list to classify it.'
        )}
      </p>
      <form
        className="classify-form"
        onSubmit={(e) => {
          e.preventDefault();
          void cls.run(roi);
        }}
      >
        <label className="field">
          <span>Labels (comma separated)</span>
          <input
            aria-label="Class labels, comma separated"
            value={cls.labels}
            onChange={(e) => cls.setLabels(e.target.value)}
            data-testid="classify-labels"
          />
        </label>
        {cls.packs.length > 1 && (
          <label className="field">
            <span>Pack</span>
            <select
              aria-label="Classification pack"
              value={cls.packId}
              onChange={(e) => cls.setPackId(e.target.value)}
              data-testid="classify-pack"
            >
              {cls.packs.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.id})
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="submit"
          disabled={cls.busy}
          aria-label="Classify the selected ROI"
          data-testid="classify-run"
        >
          {cls.busy ? 'Classifying…' : 'Classify'}
        </button>
      </form>
      {cls.error && (
        <div className="error" role="alert" data-testid="classify-error">
          {cls.error}
        </div>
      )}
      {r && (
        <div className="classify-result" data-testid="classify-result" data-roi-id={r.roiId}>
          <p className="small">
            <strong>{r.roiName}</strong> · pack <code data-testid="classify-result-pack">{r.packId}</code> ·
            scene{' '}
            <span data-testid="classify-result-scene">
              {r.scene ? r.scene.name : 'first project scene under the ROI (host’s choice)'}
            </span>{' '}
            · {r.chips} chip
            {r.chips === 1 ? '' : 's'}
          </p>
          <ol className="prob-bars" aria-label={`Class probabilities for ${r.roiName}`}>
            {shown.map((l, i) => (
              <li
                key={l.label}
                className={i === 0 ? 'prob-bar top' : 'prob-bar'}
                data-testid="classify-bar"
                data-label={l.label}
                data-probability={l.probability}
              >
                <span className="prob-label">{l.label}</span>
                <span className="prob-track" aria-hidden>
                  <span className="prob-fill" style={{ width: `${Math.max(0.5, l.probability * 100)}%` }} />
                </span>
                <span className="prob-value" title={`cosine ${l.score.toFixed(4)}`}>
                  {pct(l.probability)}
                </span>
              </li>
            ))}
          </ol>
          <p className="muted small">
            Softmax over 100 × cosine(ROI mean image embedding, label text embedding).
          </p>
        </div>
      )}
    </section>
  );
}
