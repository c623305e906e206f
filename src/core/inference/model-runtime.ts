import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import type { Pack, RoleName, RoleSpec } from '../packs/manifest';
import { candidateProviders, type ProviderName } from './execution-provider';

export interface ModelRuntimeOptions {
  /** intraOpNumThreads; 0 lets ONNX Runtime choose (one per physical core). */
  threads?: number;
  /** Chips per run() call for the image roles. */
  batchSize?: number;
  provider?: 'auto' | ProviderName;
}

export interface LoadedSession {
  session: ort.InferenceSession;
  /** The execution provider that actually runs this session. */
  provider: ProviderName;
  spec: RoleSpec;
  pack: Pack;
  role: RoleName;
  /** Why a preferred provider was skipped (e.g. CUDA failed to initialise), if it was. */
  fallbackReason?: string;
}

/**
 * Session cache keyed by (pack id, role). One per engine process; `dispose()` releases every
 * session. Nothing happens on construction: sessions load on first use.
 */
export class ModelRuntime {
  readonly threads: number;
  readonly batchSize: number;
  readonly provider: 'auto' | ProviderName;
  private readonly sessions = new Map<string, Promise<LoadedSession>>();

  constructor(opts: ModelRuntimeOptions = {}) {
    this.threads = opts.threads ?? 0;
    this.batchSize = Math.max(1, opts.batchSize ?? 8);
    this.provider = opts.provider ?? 'auto';
  }

  /** The cached session of `role` in `pack`, loading it (CUDA first where available) on first use. */
  session(pack: Pack, role: RoleName, signal?: AbortSignal): Promise<LoadedSession> {
    throwIfAborted(signal);
    const key = `${pack.manifest.id}\u0000${pack.dir}\u0000${role}`;
    let p = this.sessions.get(key);
    if (!p) {
      p = this.load(pack, role);
      this.sessions.set(key, p);
      p.catch(() => this.sessions.delete(key));
    }
    return p;
  }

  private async load(pack: Pack, role: RoleName): Promise<LoadedSession> {
    const spec = pack.manifest.roles[role] as RoleSpec | undefined;
    if (!spec)
      throw new AppError(
        'UNSUPPORTED',
        `pack ${pack.manifest.id} has no ${role} role (it has: ${Object.keys(pack.manifest.roles).join(', ')})`,
      );
    const file = path.join(pack.dir, spec.file);
    let fallbackReason: string | undefined;
    for (const provider of candidateProviders(this.provider)) {
      try {
        const session = await ort.InferenceSession.create(file, {
          executionProviders: [provider],
          intraOpNumThreads: this.threads,
          graphOptimizationLevel: 'all',
        });
        return { session, provider, spec, pack, role, fallbackReason };
      } catch (e) {
        if (provider === 'cpu')
          throw new AppError(
            'PACK_INVALID',
            `${spec.file} (pack ${pack.manifest.id}): ONNX Runtime cannot load it: ${(e as Error).message}`,
          );
        fallbackReason = `${provider}: ${(e as Error).message}`;
      }
    }
    throw new AppError('INTERNAL', 'no execution provider');
  }

  /** Which provider each loaded session runs on: `{ "<pack id>/<role>": "cpu" }`. */
  async providers(): Promise<Record<string, ProviderName>> {
    const out: Record<string, ProviderName> = {};
    for (const p of this.sessions.values()) {
      const s = await p.catch(() => undefined);
      if (s) out[`${s.pack.manifest.id}/${s.role}`] = s.provider;
    }
    return out;
  }

  /** Releases the sessions of one pack (e.g. before it is removed), or all of them. */
  async release(packId?: string): Promise<void> {
    for (const [key, p] of [...this.sessions]) {
      if (packId !== undefined && !key.startsWith(`${packId}\u0000`)) continue;
      this.sessions.delete(key);
      const s = await p.catch(() => undefined);
      await s?.session.release();
    }
  }

  async dispose(): Promise<void> {
    await this.release();
  }
}
