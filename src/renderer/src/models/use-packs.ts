import { useCallback, useEffect, useMemo, useState } from 'react';
import { useClient } from '../api/client-context';
import { packsApi, type BrokenPack, type PackSummary, type PacksApi } from './packs-api';

export interface PacksState {
  api: PacksApi;
  packs: PackSummary[];
  broken: BrokenPack[];
  /** Execution provider per "<pack id>/<role>", for sessions the engine has loaded. */
  providers: Record<string, string>;
  loading: boolean;
  error: string | null;
  refresh(): Promise<void>;
}

/** The installed packs (starter, fixture, user), re-read on demand; the registry reads the disk each time. */
export function usePacks(): PacksState {
  const client = useClient();
  const api = useMemo(() => packsApi(client), [client]);
  const [packs, setPacks] = useState<PackSummary[]>([]);
  const [broken, setBroken] = useState<BrokenPack[]>([]);
  const [providers, setProviders] = useState<Record<string, string>>({});
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      const [r, p] = await Promise.all([api.list(), api.providers()]);
      setPacks(r.packs);
      setBroken(r.broken);
      setProviders(p);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return { api, packs, broken, providers, loading, error, refresh };
}
