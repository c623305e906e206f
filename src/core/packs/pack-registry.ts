import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import type { JobContext } from '../jobs/job-types';
import { loadPack, ROLE_NAMES, type Pack, type RoleName } from './manifest';
import { fixturesDir, starterDir, userPacksDir } from './pack-paths';
import { verifyPack, type VerifyReport } from './verify-pack';
import { downloadPackTo } from './download-pack';

export type PackSource = 'starter' | 'fixture' | 'user';

export interface PackSummary {
  id: string;
  name: string;
  version: string;
  dir: string;
  source: PackSource;
  roles: RoleName[];
  sensor: string;
  gsd_m: number;
  bands: string[];
  embed_dim: number;
  precision: string;
  /** Sum of the manifest's file sizes. */
  bytes: number;
  license: string;
}

/** A folder that failed to load as a pack, listed so the UI can say why. */
export interface BrokenPack {
  dir: string;
  source: PackSource;
  error: string;
}

export interface PackRegistryOptions {
  /** Searched in order; the first pack with an id wins. Default: starter, fixtures, user. */
  roots?: { dir: string; source: PackSource }[];
  /** Where imports go (default $GRAFT_DATA_DIR/packs). */
  userDir?: string;
}

function summarize(p: Pack, source: PackSource): PackSummary {
  const m = p.manifest;
  return {
    id: m.id,
    name: m.name,
    version: m.version,
    dir: p.dir,
    source,
    roles: ROLE_NAMES.filter((r) => m.roles[r]),
    sensor: m.sensor,
    gsd_m: m.gsd_m,
    bands: m.bands,
    embed_dim: m.embed_dim,
    precision: m.precision,
    bytes: Object.values(m.files).reduce((a, f) => a + f.bytes, 0),
    license: m.license,
  };
}

/** Pack folders under a root: the root itself when it holds manifest.json, else its visible subfolders. */
async function packDirs(root: string): Promise<string[]> {
  if (
    await fs.access(path.join(root, 'manifest.json')).then(
      () => true,
      () => false,
    )
  )
    return [root];
  const ents = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  return ents
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => path.join(root, e.name))
    .sort();
}

/**
 * Finds model packs (starter, fixtures, user) and installs/removes user packs. Reads the disk on
 * every call (packs are few), so a pack added by another process shows up without a restart.
 */
export class PackRegistry {
  readonly roots: { dir: string; source: PackSource }[];
  readonly userDir: string;

  constructor(opts: PackRegistryOptions = {}) {
    this.userDir = opts.userDir ?? userPacksDir();
    this.roots = opts.roots ?? [
      { dir: starterDir(), source: 'starter' },
      { dir: fixturesDir(), source: 'fixture' },
      { dir: this.userDir, source: 'user' },
    ];
  }

  /** Every valid pack (first id wins) and every folder that failed to load. */
  async scan(
    signal?: AbortSignal,
  ): Promise<{ packs: (Pack & { source: PackSource })[]; broken: BrokenPack[] }> {
    const packs: (Pack & { source: PackSource })[] = [];
    const broken: BrokenPack[] = [];
    const seen = new Set<string>();
    for (const root of this.roots) {
      for (const dir of await packDirs(root.dir)) {
        throwIfAborted(signal);
        try {
          const p = await loadPack(dir, signal);
          if (seen.has(p.manifest.id))
            broken.push({
              dir,
              source: root.source,
              error: `duplicate id ${p.manifest.id} (shadowed by an earlier pack)`,
            });
          else {
            seen.add(p.manifest.id);
            packs.push({ ...p, source: root.source });
          }
        } catch (e) {
          if (e instanceof AppError && e.code === 'CANCELLED') throw e;
          broken.push({ dir, source: root.source, error: (e as Error).message });
        }
      }
    }
    return { packs, broken };
  }

  async list(signal?: AbortSignal): Promise<{ packs: PackSummary[]; broken: BrokenPack[] }> {
    const { packs, broken } = await this.scan(signal);
    return { packs: packs.map((p) => summarize(p, p.source)), broken };
  }

  /** The pack with this id; NOT_FOUND names the ids that exist. */
  async get(id: string, signal?: AbortSignal): Promise<Pack & { source: PackSource }> {
    const { packs } = await this.scan(signal);
    const p = packs.find((x) => x.manifest.id === id);
    if (!p)
      throw new AppError(
        'NOT_FOUND',
        `no model pack "${id}" (installed: ${packs.map((x) => x.manifest.id).join(', ') || 'none'})`,
      );
    return p;
  }

  async summary(id: string, signal?: AbortSignal): Promise<PackSummary> {
    const p = await this.get(id, signal);
    return summarize(p, p.source);
  }

  async verify(id: string, opts: { checkHashes?: boolean } = {}, job?: JobContext): Promise<VerifyReport> {
    const p = await this.get(id, job?.signal);
    return verifyPack(
      p.dir,
      { checkHashes: opts.checkHashes ?? true, onProgress: (ph, d, t) => job?.progress(ph, d, t) },
      job?.signal,
    );
  }

  /** Verifies a staged folder and moves it to <userDir>/<id> atomically (rename). */
  private async install(staged: string, id: string, replace: boolean, job: JobContext): Promise<PackSummary> {
    const { packs } = await this.scan(job.signal);
    const clash = packs.find((p) => p.manifest.id === id);
    if (clash && clash.source !== 'user')
      throw new AppError(
        'INVALID_INPUT',
        `pack id ${id} belongs to a ${clash.source} pack (${clash.dir}); give the imported pack another id`,
      );
    const report = await verifyPack(
      staged,
      { checkHashes: true, onProgress: (ph, d, t) => job.progress(ph, d, t) },
      job.signal,
    );
    if (!report.ok)
      throw new AppError(
        'PACK_INVALID',
        `pack ${id}: ${report.problems.length} problem(s):\n  ${report.problems.join('\n  ')}`,
        { problems: report.problems },
      );
    const target = path.join(this.userDir, id);
    const exists = await fs.access(target).then(
      () => true,
      () => false,
    );
    if (exists && !replace)
      throw new AppError(
        'INVALID_INPUT',
        `pack ${id} is already installed at ${target}; remove it first or import with replace`,
      );
    const old = `${path.join(this.userDir, `.old-${id}`)}-${randomBytes(4).toString('hex')}`;
    if (exists) await fs.rename(target, old);
    await fs.rename(staged, target);
    if (exists) await fs.rm(old, { recursive: true, force: true });
    return summarize(await loadPack(target), 'user');
  }

  /** Copies a pack folder into the user packs (verified with hashes before it becomes visible). */
  async importFolder(src: string, job: JobContext, opts: { replace?: boolean } = {}): Promise<PackSummary> {
    const p = await loadPack(src, job.signal);
    await fs.mkdir(this.userDir, { recursive: true });
    const staged = path.join(this.userDir, `.import-${p.manifest.id}-${randomBytes(4).toString('hex')}`);
    try {
      job.progress('copy', 0, 1);
      await fs.cp(src, staged, { recursive: true, filter: (f) => !f.endsWith('.part') });
      job.progress('copy', 1, 1);
      return await this.install(staged, p.manifest.id, opts.replace ?? false, job);
    } finally {
      await fs.rm(staged, { recursive: true, force: true });
    }
  }

  /**
   * Downloads a pack from a URL (folder or manifest.json URL). Partial downloads stay in
   * <userDir>/.download-<id>/ so a repeated import resumes with Range requests.
   */
  async importUrl(url: string, job: JobContext, opts: { replace?: boolean } = {}): Promise<PackSummary> {
    await fs.mkdir(this.userDir, { recursive: true });
    const { dir, manifest } = await downloadPackTo(
      url,
      (m) => path.join(this.userDir, `.download-${m.id}`),
      job,
    );
    return this.install(dir, manifest.id, opts.replace ?? false, job);
  }

  /** Deletes a user pack. Starter and fixture packs are refused. */
  async remove(id: string, signal?: AbortSignal): Promise<{ id: string; dir: string }> {
    const p = await this.get(id, signal);
    if (p.source !== 'user')
      throw new AppError(
        'INVALID_INPUT',
        `pack ${id} is a ${p.source} pack (${p.dir}); only user-installed packs can be removed`,
      );
    const trash = path.join(this.userDir, `.removing-${id}-${randomBytes(4).toString('hex')}`);
    await fs.rename(p.dir, trash);
    await fs.rm(trash, { recursive: true, force: true });
    return { id, dir: p.dir };
  }
}
