import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../api/client-context';
import { callApi, type ProjectInfo } from '../search/search-api';
import { errorText } from '../search/error-text';

const LAST_KEY = 'graft.lastProject';

export interface ProjectState {
  project: ProjectInfo | null;
  error: string | null;
  busy: boolean;
  /** Opens (create: makes) the folder as the host's current project. */
  open(dir: string, create: boolean): Promise<ProjectInfo | null>;
  /** Re-reads project.json through the host (after indexing, queries, ROI edits). */
  refresh(): Promise<void>;
  lastDir: string;
}

/** The host's current project: project.get on start (a reload keeps it), project.open on demand. */
export function useProject(): ProjectState {
  const client = useClient();
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    callApi(client, 'project.get', {}).then(setProject, () => undefined);
  }, [client]);

  const open = useCallback(
    async (dir: string, create: boolean) => {
      setBusy(true);
      setError(null);
      try {
        const p = await callApi(client, 'project.open', { dir: dir.trim(), create });
        setProject(p);
        localStorage.setItem(LAST_KEY, p.dir);
        return p;
      } catch (err) {
        setError(errorText(err));
        return null;
      } finally {
        setBusy(false);
      }
    },
    [client],
  );

  const refresh = useCallback(async () => {
    try {
      setProject(await callApi(client, 'project.get', {}));
    } catch {
      /* no project yet */
    }
  }, [client]);

  return { project, error, busy, open, refresh, lastDir: localStorage.getItem(LAST_KEY) ?? '' };
}

/** The folder's last path segment: what the bar shows as the project's name. */
export function projectName(dir: string): string {
  const parts = dir.replace(/[\\/]+$/, '').split(/[\\/]/);
  return parts[parts.length - 1] || dir;
}
