import type { ImageryLayer } from './imagery-layer';
import { RENDER_LABELS } from './render-labels';

const CHANNEL_COLOURS = ['#d93025', '#1e8e3e', '#1967d2'];

/**
 * Over the map: which render the selected (else the topmost visible) scene is drawn with,
 * and which bands feed the screen's red, green and blue.
 */
export function LegendChip({ layers, selectedId }: { layers: ImageryLayer[]; selectedId: string | null }) {
  const visible = layers.filter((l) => l.visible);
  const layer = visible.find((l) => l.scene.id === selectedId) ?? visible[0];
  if (!layer) return null;
  const label = RENDER_LABELS[layer.render];
  return (
    <div
      className="legend-chip"
      data-testid="legend-chip"
      data-render={layer.render}
      role="note"
      aria-label={`${layer.scene.name}: ${label.title}`}
    >
      <span className="legend-title">{label.title}</span>
      <span className="legend-channels">
        {label.channels.map((c, i) => (
          <span
            key={c}
            className="legend-channel"
            style={{ borderColor: CHANNEL_COLOURS[i] }}
            title={`${c} band shown as ${['red', 'green', 'blue'][i]}`}
          >
            {c}
          </span>
        ))}
      </span>
      <span className="legend-scene" title={layer.scene.name}>
        {layer.scene.name}
      </span>
    </div>
  );
}
