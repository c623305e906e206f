import type { Imagery } from './use-imagery';
import type { RenderKind } from './imagery-layer';
import { renderLabel, renderUnavailableReason } from './render-labels';
import { SceneDetails } from './scene-details';

/**
 * The Layers tab: every open scene, newest on top (the map draws them in this order), each
 * with visibility, render, opacity, order, zoom-to and close; the selected one's metadata below.
 */
export function LayersPanel({ imagery, onOpenDialog }: { imagery: Imagery; onOpenDialog(): void }) {
  const { layers, selectedId } = imagery;
  const selected = layers.find((l) => l.scene.id === selectedId) ?? null;
  return (
    <div className="panel layers-panel">
      <div className="panel-head">
        <h2>Imagery</h2>
        <button
          className="primary"
          onClick={onOpenDialog}
          title="Open imagery (Ctrl+O)"
          data-testid="open-imagery"
        >
          Open imagery…
        </button>
      </div>
      {layers.length === 0 && (
        <p className="hint">
          No imagery open yet. Open a GeoTIFF/COG, a URL, a STAC item or Sentinel-2 band files (
          <kbd>Ctrl</kbd>+<kbd>O</kbd>).
        </p>
      )}
      <ul className="layer-list" aria-label="Imagery layers, topmost first">
        {layers.map((l, i) => {
          const name = l.scene.name;
          const isSel = l.scene.id === selectedId;
          return (
            <li
              key={l.scene.id}
              className={isSel ? 'layer-row selected' : 'layer-row'}
              data-testid="layer-row"
              data-scene-id={l.scene.id}
              aria-current={isSel ? 'true' : undefined}
            >
              <div className="layer-line">
                <input
                  type="checkbox"
                  checked={l.visible}
                  aria-label={`Show ${name}`}
                  onChange={(e) => imagery.setVisible(l.scene.id, e.target.checked)}
                />
                <button
                  className="layer-name"
                  title={`${name}: show details`}
                  aria-pressed={isSel}
                  onClick={() => imagery.select(l.scene.id)}
                >
                  {name}
                </button>
                <button
                  className="icon-btn"
                  aria-label={`Move ${name} up`}
                  title="Move up"
                  disabled={i === 0}
                  onClick={() => imagery.move(l.scene.id, -1)}
                >
                  ↑
                </button>
                <button
                  className="icon-btn"
                  aria-label={`Move ${name} down`}
                  title="Move down"
                  disabled={i === layers.length - 1}
                  onClick={() => imagery.move(l.scene.id, 1)}
                >
                  ↓
                </button>
                <button
                  className="icon-btn"
                  aria-label={`Zoom to ${name}`}
                  title="Zoom to layer"
                  onClick={() => imagery.zoomTo(l.scene.id)}
                >
                  ⤢
                </button>
                <button
                  className="icon-btn"
                  aria-label={`Close ${name}`}
                  title="Close"
                  onClick={() => void imagery.close(l.scene.id)}
                >
                  ✕
                </button>
              </div>
              <div className="layer-line layer-controls">
                <select
                  aria-label={`Render for ${name}`}
                  value={l.render}
                  onChange={(e) => imagery.setRender(l.scene.id, e.target.value as RenderKind)}
                >
                  {(['truecolor', 'falsecolor'] as const).map((r) => {
                    const why = renderUnavailableReason(l.scene, r);
                    return (
                      <option key={r} value={r} disabled={why !== null}>
                        {renderLabel(r)}
                        {why ? ` — ${why}` : ''}
                      </option>
                    );
                  })}
                </select>
                <input
                  type="range"
                  min={0}
                  max={100}
                  step={5}
                  value={Math.round(l.opacity * 100)}
                  aria-label={`Opacity of ${name}`}
                  aria-valuetext={`${Math.round(l.opacity * 100)}%`}
                  onChange={(e) => imagery.setOpacity(l.scene.id, Number(e.target.value) / 100)}
                />
                <span className="opacity-value" aria-hidden>
                  {Math.round(l.opacity * 100)}%
                </span>
              </div>
            </li>
          );
        })}
      </ul>
      {selected ? (
        <SceneDetails scene={selected.scene} />
      ) : (
        layers.length > 0 && <p className="hint">Click a layer name to see its metadata.</p>
      )}
    </div>
  );
}
