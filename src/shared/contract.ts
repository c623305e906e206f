/**
 * THE contract: every request (`method → {req, res}` schemas) and every event any host serves.
 * Hosts (HTTP server, Electron main, engine process) and the renderer's client are built from
 * these maps by the generic helpers in rpc.ts; no other file names a channel or a route.
 */
import type { z } from 'zod';
import { coreEvents, coreRequests } from './contract/core';
import type { RequestMap } from './rpc';

export const requests = {
  ...coreRequests,
} satisfies RequestMap;

export const events = {
  ...coreEvents,
} as const;

export type Requests = typeof requests;
export type Method = keyof Requests & string;
export type Events = typeof events;
export type EventName = keyof Events & string;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

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
/** Electron custom protocol for tiles and the app itself. */
export const PROTOCOL = { scheme: 'graft' } as const;
