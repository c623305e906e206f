import type { Map as MlMap } from 'maplibre-gl';
import { useState } from 'react';
import { StatusBar, type Cursor } from './jobs/status-bar';
import { MapView } from './map/map-view';
import { DiagnosticsPanel } from './panels/diagnostics-panel';
import { SidePanel, type PanelTab } from './panels/side-panel';

const BASEMAP_KEY = 'graft.basemapUrl';

export function App() {
  const [, setMap] = useState<MlMap | null>(null);
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const [basemapUrl, setBasemapUrl] = useState<string | null>(() => localStorage.getItem(BASEMAP_KEY));

  const tabs: PanelTab[] = [
    {
      id: 'layers',
      title: 'Layers',
      render: () => (
        <div className="panel empty">
          <h2>Layers</h2>
          <p className="hint">No imagery open yet.</p>
        </div>
      ),
    },
    {
      id: 'settings',
      title: 'Settings',
      render: () => (
        <DiagnosticsPanel
          basemapUrl={basemapUrl}
          onBasemapUrl={(u) => {
            if (u) localStorage.setItem(BASEMAP_KEY, u);
            else localStorage.removeItem(BASEMAP_KEY);
            setBasemapUrl(u);
          }}
        />
      ),
    },
  ];

  return (
    <div className="app">
      <SidePanel tabs={tabs} />
      <main className="map-area">
        <MapView basemapUrl={basemapUrl} onMap={setMap} onCursor={setCursor} />
      </main>
      <StatusBar cursor={cursor} message={null} />
    </div>
  );
}
