/** Electron IPC channel names: the only ones (preload and main import them from here). */
export const IPC = { request: 'graft:request', event: 'graft:event' } as const;
/** HTTP routes of the web host (the server and the renderer's HTTP transport import them from here). */
export const HTTP = {
  rpc: '/api/rpc/', // + method, POST JSON body
  events: '/api/events', // server-sent events
  tiles: '/tiles/', // + sceneId/z/x/y.png?render=
  tokenParam: 'token',
  tokenHeader: 'x-graft-token',
  tokenCookie: 'graft_token',
  wireType: 'application/x-graft-wire',
} as const;
/** Electron custom protocol: graft://app/… serves the renderer, graft://tiles/… the tiles. */
export const PROTOCOL = { scheme: 'graft', appHost: 'app', tilesHost: 'tiles' } as const;

/** One content security policy for the Electron window and the web host; https: allows a user basemap. */
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: graft:; connect-src 'self' https: graft:; " +
  "font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
