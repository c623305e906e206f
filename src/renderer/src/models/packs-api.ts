import type { z } from 'zod';
import type { BrokenPackSchema, PackSummaryDto, VerifyReportSchema } from '../../../shared/contract/packs';
import type { Client } from '../api/client';
import { RemoteError } from '../api/transport';

export type PackSummary = PackSummaryDto;
export type BrokenPack = z.infer<typeof BrokenPackSchema>;
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

/** Typed calls for the Models panel (schemas: src/shared/contract/packs.ts). */
export function packsApi(client: Client) {
  return {
    list: (signal?: AbortSignal) => client.request('packs.list', {}, signal),
    verify: (id: string, signal?: AbortSignal) => client.request('packs.verify', { id, checkHashes: true }, signal),
    /** Starts an import job (folder path or http(s) URL); progress comes as job.progress events. */
    importPack: (source: string, replace: boolean) => client.request('packs.import', { source, replace }),
    remove: (id: string) => client.request('packs.remove', { id }),
    /**
     * Execution provider per loaded session ("<pack id>/<role>" → "cpu" | "cuda"). The renderer's
     * contract has no such method yet; called by name so it lights up once a host serves it, and
     * an empty map (no "Runs on" row) until then.
     */
    providers: async (): Promise<Record<string, string>> => {
      const r = await client.transport.call('engine.providers', {}).catch(() => null);
      return r?.ok ? (r.result as Record<string, string>) : {};
    },
    /** Native folder picker (desktop only): null when the host has none (UNSUPPORTED). */
    pickPackFolder: async (): Promise<string[] | null> => {
      try {
        return (await client.request('host.pickFiles', { kind: 'pack', title: 'Choose a model pack folder' })).paths;
      } catch (e) {
        if (e instanceof RemoteError && e.code === 'UNSUPPORTED') return null;
        throw e;
      }
    },
  };
}
export type PacksApi = ReturnType<typeof packsApi>;
