import { useState, type ReactNode } from 'react';

export interface PanelTab {
  id: string;
  title: string;
  render(): ReactNode;
}

/** The left panel: one tab per workflow step (layers, search, results, models, settings). */
export function SidePanel({ tabs, initial }: { tabs: PanelTab[]; initial?: string }) {
  const [active, setActive] = useState(initial ?? tabs[0]?.id);
  const tab = tabs.find((t) => t.id === active) ?? tabs[0];
  return (
    <aside className="side-panel" aria-label="Side panel">
      <header className="brand">
        <span className="logo" aria-hidden>
          ◆
        </span>{' '}
        GRAFT Workbench
      </header>
      <nav className="tabs" role="tablist">
        {tabs.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={t.id === tab?.id}
            className={t.id === tab?.id ? 'tab active' : 'tab'}
            onClick={() => setActive(t.id)}
          >
            {t.title}
          </button>
        ))}
      </nav>
      <section className="tab-body" role="tabpanel">
        {tab?.render()}
      </section>
    </aside>
  );
}
