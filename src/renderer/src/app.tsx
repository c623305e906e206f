import type { Map as MlMap } from 'maplibre-gl';
import { useCallback, useState } from 'react';
import { useClient } from './api/client-context';
import { LegendChip } from './imagery/legend-chip';
import { LayersPanel } from './imagery/layers-panel';
import { OpenImageryDialog, type OpenRequest } from './imagery/open-imagery-dialog';
import { useImagery } from './imagery/use-imagery';
import { useMapDrop } from './imagery/use-map-drop';
import { useOpenShortcut } from './imagery/use-open-shortcut';
import { StatusBar, type Cursor } from './jobs/status-bar';
import { MapView } from './map/map-view';
import { ModelsPanel } from './models/models-panel';
import { DiagnosticsPanel } from './panels/diagnostics-panel';
import { SidePanel, type PanelTab } from './panels/side-panel';
import { useSearchLoop } from './search/use-search-loop';

const BASEMAP_KEY = 'graft.basemapUrl';

export function App() {
  const client = useClient();
  const [map, setMap] = useState<MlMap | null>(null);
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const [basemapUrl, setBasemapUrl] = useState<string | null>(() => localStorage.getItem(BASEMAP_KEY));
  const imagery = useImagery(map);
  const loop = useSearchLoop(
    map,
    imagery.layers.map((l) => l.scene),
  );
  // Each request mounts a fresh dialog (the key), so its text and notice start from the request.
  const [openRequest, setOpenRequest] = useState<(OpenRequest & { key: number }) | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const showOpen = useCallback(
    (req: OpenRequest = {}) =>
      setOpenRequest((prev) => (prev && !req.text && !req.notice ? prev : { ...req, key: Date.now() })),
    [],
  );
  useOpenShortcut(showOpen);
  const drop = useMapDrop(
    (paths) => showOpen({ text: paths.join('\n'), submit: true }),
    (notice) => showOpen({ notice }),
  );

  const tabs: PanelTab[] = [
    {
      id: 'layers',
      title: 'Layers',
      render: () => <LayersPanel imagery={imagery} onOpenDialog={() => showOpen()} />,
    },
    ...loop.tabs,
    { id: 'models', title: 'Models', render: () => <ModelsPanel /> },
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
      <main className={drop.dragging ? 'map-area dragging' : 'map-area'} {...drop.handlers}>
        <MapView basemapUrl={basemapUrl} onMap={setMap} onCursor={setCursor} />
        <LegendChip layers={imagery.layers} selectedId={imagery.selectedId} />
        {drop.dragging && (
          <div className="drop-hint" aria-hidden>
            Drop imagery files to open them as one scene
          </div>
        )}
      </main>
      <StatusBar cursor={cursor} message={message} />
      {openRequest && (
        <OpenImageryDialog
          key={openRequest.key}
          request={openRequest}
          webHost={client.transport.kind === 'http'}
          onOpen={imagery.open}
          onBusy={setMessage}
          onClose={() => setOpenRequest(null)}
        />
      )}
    </div>
  );
}
