import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';
import { loadPack, ROLE_NAMES, type PackManifest, type RoleName, type TensorSpec } from './manifest';
import { readOnnxSignature, type OnnxValueInfo } from './onnx-signature';
import { sha256File } from './sha256-file';

export interface VerifyOptions {
  /** Hash every file (slow for GB-sized graphs); sizes are always checked. */
  checkHashes?: boolean;
  onProgress?: (phase: 'hash' | 'graphs', done: number, total: number) => void;
}

export interface VerifyReport {
  id: string;
  dir: string;
  ok: boolean;
  /** One precise sentence per mismatch, naming the file. */
  problems: string[];
  /** What each graph really declares, by role. */
  graphs: Partial<Record<RoleName, { file: string; inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[] }>>;
}

const fmtShape = (s: readonly (number | string)[]) => `[${s.join(',')}]`;

/** A manifest dim agrees with a graph dim unless both are numbers and differ, or the manifest says symbolic and the graph is fixed. */
function dimsAgree(manifest: number | string, graph: number | string): boolean {
  if (typeof manifest === 'number') return typeof graph !== 'number' || graph === manifest;
  return typeof graph !== 'number';
}

function compareIo(
  file: string,
  kind: 'input' | 'output',
  declared: Record<string, TensorSpec>,
  real: OnnxValueInfo[],
  problems: string[],
): void {
  const realByName = new Map(real.map((r) => [r.name, r]));
  const unmatchedReal = real.filter((r) => !(r.name in declared));
  const missing = Object.keys(declared).filter((n) => !realByName.has(n));
  for (const name of missing) {
    if (missing.length === 1 && unmatchedReal.length === 1)
      problems.push(`${file}: ${kind} named '${unmatchedReal[0].name}', manifest says '${name}'`);
    else
      problems.push(
        `${file}: manifest ${kind} '${name}' is not in the graph (graph ${kind}s: ${real.map((r) => r.name).join(', ') || 'none'})`,
      );
  }
  if (!(missing.length === 1 && unmatchedReal.length === 1))
    for (const r of unmatchedReal) {
      // An undeclared output is harmless; an undeclared input would never be fed.
      if (kind === 'input')
        problems.push(
          `${file}: graph input '${r.name}' ${r.type}${fmtShape(r.shape)} is not in the manifest`,
        );
    }
  for (const [name, spec] of Object.entries(declared)) {
    const r = realByName.get(name);
    if (!r) continue;
    if (r.type !== spec.type)
      problems.push(`${file}: ${kind} ${name} has type ${r.type}, manifest says ${spec.type}`);
    const agree =
      r.shape.length === spec.shape.length && spec.shape.every((d, i) => dimsAgree(d, r.shape[i]));
    if (!agree)
      problems.push(
        `${file}: ${kind} ${name} has shape ${fmtShape(r.shape)}, manifest says ${fmtShape(spec.shape)}`,
      );
  }
}

/** Checks that follow from the model family: embed_dim, patch grid, channels, context length, precision. */
function semanticChecks(
  m: PackManifest,
  role: RoleName,
  file: string,
  real: { inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[] },
  problems: string[],
): void {
  const grid = m.input.size / m.patch_size;
  const num = (d: number | string | undefined) => (typeof d === 'number' ? d : undefined);
  const floatType = m.precision === 'fp16' ? 'float16' : 'float32';
  if (role === 'patch_encoder' || role === 'image_encoder') {
    const inp = real.inputs[0];
    if (inp && inp.shape.length === 4) {
      const c = num(inp.shape[1]);
      if (c !== undefined && c !== m.bands.length)
        problems.push(
          `${file}: input ${inp.name} has ${c} channels, manifest bands has ${m.bands.length} (${m.bands.join(',')})`,
        );
      for (const i of [2, 3]) {
        const s = num(inp.shape[i]);
        if (s !== undefined && s !== m.input.size)
          problems.push(
            `${file}: input ${inp.name} is ${inp.shape[2]}x${inp.shape[3]}, manifest input.size is ${m.input.size}`,
          );
      }
    }
    if (inp && inp.type !== floatType)
      problems.push(
        `${file}: input ${inp.name} is ${inp.type} but precision ${m.precision} means ${floatType}`,
      );
  }
  const out = real.outputs[0];
  if (!out) return;
  if (role === 'patch_encoder') {
    let d: number | undefined;
    let tokens: number | undefined;
    if (out.shape.length === 3) [tokens, d] = [num(out.shape[1]), num(out.shape[2])];
    else if (out.shape.length === 4) {
      d = num(out.shape[1]);
      const h = num(out.shape[2]);
      const w = num(out.shape[3]);
      tokens = h !== undefined && w !== undefined ? h * w : undefined;
    } else
      problems.push(
        `${file}: output ${out.name} has rank ${out.shape.length}, expected [N,T,D] or [N,D,h,w]`,
      );
    if (d !== undefined && d !== m.embed_dim)
      problems.push(
        `${file}: output ${out.name} has embedding dim ${d}, manifest embed_dim is ${m.embed_dim}`,
      );
    if (!Number.isInteger(grid))
      problems.push(`manifest: input.size ${m.input.size} is not a multiple of patch_size ${m.patch_size}`);
    else if (tokens !== undefined && tokens !== grid * grid)
      problems.push(
        `${file}: output ${out.name} has ${tokens} patch tokens, manifest implies (${m.input.size}/${m.patch_size})^2 = ${grid * grid}`,
      );
  } else if (role === 'image_encoder' || role === 'text_encoder') {
    const d = num(out.shape[out.shape.length - 1]);
    if (d !== undefined && d !== m.embed_dim)
      problems.push(
        `${file}: output ${out.name} has embedding dim ${d}, manifest embed_dim is ${m.embed_dim}`,
      );
    const tok = m.roles.text_encoder?.tokenizer;
    const ids = real.inputs[0];
    if (
      role === 'text_encoder' &&
      tok?.kind === 'clip-bpe' &&
      ids &&
      num(ids.shape[1]) !== undefined &&
      ids.shape[1] !== tok.context_length
    )
      problems.push(
        `${file}: input ${ids.name} has length ${ids.shape[1]}, tokenizer context_length is ${tok.context_length}`,
      );
  }
}

/**
 * Verifies a pack folder against its manifest: every listed file exists with the listed size
 * (and sha256 when `checkHashes`), every graph parses, and each graph's real input/output names,
 * element types and shapes agree with the manifest, as do embed_dim, channel count and patch grid.
 * Returns a report (never throws for a bad pack, except when manifest.json itself is unreadable).
 */
export async function verifyPack(
  dir: string,
  opts: VerifyOptions = {},
  signal?: AbortSignal,
): Promise<VerifyReport> {
  const { manifest: m } = await loadPack(dir, signal);
  const problems: string[] = [];
  const graphs: VerifyReport['graphs'] = {};
  const entries = Object.entries(m.files);
  const total = entries.reduce((a, [, f]) => a + f.bytes, 0);
  let done = 0;
  for (const [name, want] of entries) {
    throwIfAborted(signal);
    const file = path.join(dir, name);
    const st = await fs.stat(file).catch(() => undefined);
    if (!st) {
      problems.push(`${name}: listed in manifest files but missing from the pack folder`);
      continue;
    }
    if (st.size !== want.bytes)
      problems.push(`${name}: file has ${st.size} bytes, manifest says ${want.bytes}`);
    if (opts.checkHashes) {
      const base = done;
      const got = await sha256File(file, (n) => opts.onProgress?.('hash', base + n, total), signal);
      if (got !== want.sha256)
        problems.push(
          `sha256 mismatch for ${name} (manifest ${want.sha256.slice(0, 12)}…, file ${got.slice(0, 12)}…)`,
        );
    }
    done += want.bytes;
  }
  const roles = ROLE_NAMES.filter((r) => m.roles[r]);
  for (const [i, role] of roles.entries()) {
    opts.onProgress?.('graphs', i, roles.length);
    const spec = m.roles[role]!;
    try {
      const sig = await readOnnxSignature(path.join(dir, spec.file), signal);
      graphs[role] = { file: spec.file, inputs: sig.inputs, outputs: sig.outputs };
      compareIo(spec.file, 'input', spec.inputs, sig.inputs, problems);
      compareIo(spec.file, 'output', spec.outputs, sig.outputs, problems);
      semanticChecks(m, role, spec.file, sig, problems);
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'CANCELLED') throw e;
      problems.push(
        e.code === 'NOT_FOUND' ? `${spec.file}: graph file for role ${role} is missing` : e.message,
      );
    }
  }
  opts.onProgress?.('graphs', roles.length, roles.length);
  return { id: m.id, dir: path.resolve(dir), ok: problems.length === 0, problems, graphs };
}

/** verifyPack, throwing AppError('PACK_INVALID') with every problem listed when the pack is not sound. */
export async function assertPackValid(
  dir: string,
  opts: VerifyOptions = {},
  signal?: AbortSignal,
): Promise<VerifyReport> {
  const r = await verifyPack(dir, opts, signal);
  if (!r.ok)
    throw new AppError(
      'PACK_INVALID',
      `pack ${r.id} (${dir}): ${r.problems.length} problem(s):\n  ${r.problems.join('\n  ')}`,
      { problems: r.problems },
    );
  return r;
}
