import { createRoot } from 'react-dom/client';
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import { App } from './app';
import { createClient } from './api/client';
import { ClientContext } from './api/client-context';

// The token came in the URL once (the server has set its cookie); keep it out of history and screenshots.
if (window.location.search.includes('token=')) {
  const url = new URL(window.location.href);
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
}

const client = createClient();
createRoot(document.getElementById('root')!).render(
  <ClientContext.Provider value={client}>
    <App />
  </ClientContext.Provider>,
);
