import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ProviderName = 'cuda' | 'cpu';

/** The folder of onnxruntime-node's native binaries for this platform, or undefined. */
export function ortBinDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
    return path.join(path.dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/**
 * Providers to try, in order. CUDA only on linux x64 when onnxruntime-node's CUDA provider
 * library was installed beside the binding (its install script fetches it when a CUDA toolkit
 * is present); otherwise CPU. A CUDA session that fails to start falls back to CPU at load.
 */
export function candidateProviders(prefer: 'auto' | ProviderName = 'auto'): ProviderName[] {
  if (prefer === 'cpu') return ['cpu'];
  const dir = ortBinDir();
  const hasCuda =
    process.platform === 'linux' &&
    process.arch === 'x64' &&
    !!dir &&
    existsSync(path.join(dir, 'libonnxruntime_providers_cuda.so'));
  if (prefer === 'cuda') return hasCuda ? ['cuda', 'cpu'] : ['cpu'];
  return hasCuda ? ['cuda', 'cpu'] : ['cpu'];
}
