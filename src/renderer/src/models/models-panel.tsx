import { useState } from 'react';
import { ImportFolderForm, DownloadPackForm } from './import-pack-form';
import { PackCard } from './pack-card';
import { STARTER_VOCABULARY } from './starter-vocabulary';
import { usePacks } from './use-packs';

/**
 * The Models tab: every installed model pack (starter, fixture, user) with Verify and Remove,
 * and the two ways to add one: import a folder, or download from a URL (only when asked).
 */
export function ModelsPanel() {
  const packs = usePacks();
  const [replace, setReplace] = useState(false);
  const onInstalled = () => void packs.refresh();

  return (
    <div className="panel models-panel">
      <div className="panel-head">
        <h2>Model packs</h2>
        <span className="row">
          <button onClick={() => document.getElementById('add-pack')?.scrollIntoView({ behavior: 'smooth' })} title="Import a folder or download from a URL">
            Add…
          </button>
          <button onClick={() => void packs.refresh()} disabled={packs.loading} data-testid="packs-refresh" title="Read the pack folders again">
            Refresh
          </button>
        </span>
      </div>
      <details className="pack-help" data-testid="packs-hint" open>
        <summary>What is a model pack?</summary>
        <p className="hint">
          A folder with a <span className="mono">manifest.json</span> and ONNX graphs that turn image patches and text into vectors in one
          space, so a text query can score every patch. The manifest says which sensor, bands and ground resolution the model expects;
          Verify checks the graphs and every file&apos;s sha256 against it. Nothing is downloaded unless you ask below.
        </p>
        <p className="hint">
          The built-in <strong>starter pack</strong> is not a neural network: it describes each 16×16-pixel patch by spectral indices and
          texture, and knows only a fixed vocabulary. Other words are refused; install a GRAFT pack for open-vocabulary queries.
        </p>
        <ul className="vocab" aria-label="Starter pack vocabulary" data-testid="starter-vocabulary">
          {STARTER_VOCABULARY.map((c) => (
            <li key={c.name} className="band-chip" title={c.examples}>
              {c.name}
            </li>
          ))}
        </ul>
      </details>
      {packs.error && (
        <p className="error" role="alert">
          {packs.error}
        </p>
      )}
      {!packs.loading && packs.packs.length === 0 && !packs.error && <p className="hint">No model packs found.</p>}
      <ul className="pack-list" aria-label="Installed model packs">
        {packs.packs.map((p) => (
          <PackCard key={p.id} pack={p} api={packs.api} providers={packs.providers} onRemoved={() => void packs.refresh()} />
        ))}
      </ul>
      {packs.broken.length > 0 && (
        <>
          <h2>Folders that are not valid packs</h2>
          <ul className="pack-broken" data-testid="packs-broken">
            {packs.broken.map((b) => (
              <li key={b.dir}>
                <span className="mono">{b.dir}</span>
                <span className="error-line">{b.error}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2 id="add-pack">Add a pack</h2>
      <ImportFolderForm api={packs.api} replace={replace} onInstalled={onInstalled} />
      <DownloadPackForm api={packs.api} replace={replace} onInstalled={onInstalled} />
      <label className="check">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} data-testid="pack-replace" />
        Replace an installed pack with the same id
      </label>
      <p className="hint">
        Downloads resume where they stopped and every file is checked against the manifest&apos;s sha256 before the pack is installed.
      </p>
    </div>
  );
}
