/**
 * THE contract: every request (`method → {req, res}` schemas) and every event any host serves.
 * Hosts (HTTP server, Electron main, engine process) and the renderer's client are built from
 * these maps by the generic helpers in rpc.ts; no other file names a channel or a route.
 */
import type { z } from 'zod';
import { coreEvents, coreRequests } from './contract/core';
import { imageryRequests } from './contract/imagery';
import { packsRequests } from './contract/packs';
import { searchRequests } from './contract/search';
import { segmentRequests } from './contract/segment';
import type { RequestMap } from './rpc';

export const requests = {
  ...coreRequests,
  ...imageryRequests,
  ...packsRequests,
  ...segmentRequests,
  ...searchRequests,
} satisfies RequestMap;

export const events = {
  ...coreEvents,
} as const;

export type Requests = typeof requests;
export type Method = keyof Requests & string;
export type Events = typeof events;
export type EventName = keyof Events & string;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export { CSP, HTTP, IPC, PROTOCOL } from './channels';
