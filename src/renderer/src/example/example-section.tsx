import { EXAMPLE_COLOURS } from './example-layer';
import { exampleLabel, type ExampleState } from './use-example';

/** The Search tab's "Find similar" controls: the mode toggle, the example list and its errors. */
export function ExampleSection({ ex, running }: { ex: ExampleState; running: boolean }) {
  const pos = ex.items.filter((p) => p.label === 1).length;
  return (
    <section
      className="example-section"
      aria-label="Find similar (query by example)"
      data-testid="example-section"
    >
      <div className="row">
        <button
          aria-pressed={ex.on}
          aria-label="Find similar: click example patches on the map"
          title="Click = positive example, Shift-click = negative, Esc leaves"
          onClick={() => ex.setOn(!ex.on)}
          data-testid="example-mode"
        >
          {ex.on ? '◉ Find similar on' : '○ Find similar'}
        </button>
        {ex.on && (
          <>
            <button
              aria-label="Add the map centre as a positive example"
              onClick={() => ex.addCentre(1)}
              data-testid="example-centre-positive"
            >
              + centre
            </button>
            <button
              aria-label="Add the map centre as a negative example"
              onClick={() => ex.addCentre(0)}
              data-testid="example-centre-negative"
            >
              − centre
            </button>
          </>
        )}
        {ex.items.length > 0 && (
          <button aria-label="Clear all examples" onClick={ex.clear} data-testid="example-clear">
            Clear
          </button>
        )}
      </div>
      {ex.on && (
        <p className="muted small" data-testid="example-hint">
          Click a patch = positive example · Shift-click = negative · Esc leaves the mode.
        </p>
      )}
      {ex.error && (
        <div className="error" role="alert" data-testid="example-error">
          {ex.error}
        </div>
      )}
      {ex.items.length > 0 && (
        <>
          <p
            className="small"
            data-testid="example-label"
            data-positives={pos}
            data-negatives={ex.items.length - pos}
          >
            Query: <strong>{exampleLabel(ex.items)}</strong>
            {running && <span className="muted"> (running…)</span>}
          </p>
          <ul className="example-list" aria-label="Example patches" data-testid="example-list">
            {ex.items.map((p, i) => (
              <li key={p.id} className="example-item" data-testid="example-item" data-label={p.label}>
                <span className="example-chip" style={{ background: EXAMPLE_COLOURS[p.label] }} aria-hidden>
                  {p.label ? '+' : '−'}
                </span>
                <span className="grow">
                  {p.label ? 'Positive' : 'Negative'} {i + 1}{' '}
                  <span className="muted small">
                    {p.scene} · {p.lat.toFixed(5)}, {p.lon.toFixed(5)}
                  </span>
                </span>
                <button
                  aria-label={`Remove example ${i + 1} (${p.label ? 'positive' : 'negative'})`}
                  onClick={() => ex.remove(p.id)}
                  data-testid="example-remove"
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
