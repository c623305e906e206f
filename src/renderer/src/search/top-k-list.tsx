import type { TopPatch } from './search-api';

/** The best patches, best first; a click flies to the patch and outlines it. */
export function TopKList({
  items,
  selected,
  onSelect,
  limit = 20,
}: {
  items: TopPatch[];
  selected: TopPatch | null;
  onSelect(p: TopPatch): void;
  limit?: number;
}) {
  if (!items.length) return null;
  return (
    <ol className="topk" aria-label="Top patches" data-testid="topk-list">
      {items.slice(0, limit).map((p, i) => {
        const active = selected?.sceneId === p.sceneId && selected.cell === p.cell;
        return (
          <li key={`${p.sceneId}:${p.cell}`}>
            <button
              className={active ? 'topk-item active' : 'topk-item'}
              aria-label={`Top patch ${i + 1}, score ${p.score.toFixed(3)}`}
              aria-pressed={active}
              data-testid="topk-item"
              onClick={() => onSelect(p)}
            >
              <span className="rank">{i + 1}</span>
              <span className="grow">{p.score.toFixed(3)}</span>
              <span className="muted small">
                {p.lat.toFixed(5)}, {p.lon.toFixed(5)}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
