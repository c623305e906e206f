import type { SceneInfoJson } from '../../../shared/contract/imagery';

const KEY = 'graft.recentImagery';
const MAX = 8;

/** A source set the user opened successfully, remembered across sessions in localStorage. */
export interface RecentEntry {
  sources: string[];
  profile: SceneInfoJson['profile'] | null;
  name: string;
  /** ms since epoch */
  at: number;
}

export function loadRecent(): RecentEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as RecentEntry[]).filter((e) => Array.isArray(e?.sources)) : [];
  } catch {
    return [];
  }
}

/** Puts an entry first (dropping an older one with the same sources) and keeps the last 8. */
export function rememberRecent(entry: RecentEntry): RecentEntry[] {
  const key = entry.sources.join('\n');
  const next = [entry, ...loadRecent().filter((e) => e.sources.join('\n') !== key)].slice(0, MAX);
  localStorage.setItem(KEY, JSON.stringify(next));
  return next;
}

export function clearRecent(): void {
  localStorage.removeItem(KEY);
}
