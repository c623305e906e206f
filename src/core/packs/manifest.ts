import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { throwIfAborted } from '../../shared/abort';

/** Element types a manifest may name (ONNX names mapped to numpy-style names). */
export const TensorTypeSchema = z.enum(['float32', 'float16', 'int64', 'int32', 'uint8', 'bool']);
/** A dim is a fixed size (>= 1) or a symbolic name such as "N", "P", "M". */
const DimSchema = z.union([z.number().int().min(1), z.string().min(1)]);
const TensorSpecSchema = z.object({ type: TensorTypeSchema, shape: z.array(DimSchema) });
const IoSchema = z.record(z.string().min(1), TensorSpecSchema);
const fileName = z
  .string()
  .min(1)
  .refine(
    (f) => !path.isAbsolute(f) && !f.split(/[\\/]/).includes('..'),
    'must be a relative path inside the pack',
  );

const BaseRole = { file: fileName, inputs: IoSchema, outputs: IoSchema };

const ClipBpeTokenizer = z.object({
  kind: z.literal('clip-bpe'),
  vocab: fileName,
  merges: fileName,
  context_length: z.number().int().min(1),
  pad: z.enum(['zeros', 'eot']),
});
const ConceptsTokenizer = z.object({ kind: z.literal('concepts'), file: fileName });
export const TokenizerSchema = z.discriminatedUnion('kind', [ClipBpeTokenizer, ConceptsTokenizer]);

const RolesSchema = z
  .strictObject({
    patch_encoder: z.object(BaseRole).optional(),
    image_encoder: z.object(BaseRole).optional(),
    text_encoder: z.object({ ...BaseRole, tokenizer: TokenizerSchema }).optional(),
    sam_image_encoder: z
      .object({
        ...BaseRole,
        input_size: z.number().int().min(1),
        mean: z.array(z.number()).length(3),
        std: z.array(z.number().positive()).length(3),
      })
      .optional(),
    sam_prompt_decoder: z.object(BaseRole).optional(),
  })
  .refine((r) => Object.values(r).some((v) => v !== undefined), 'a pack needs at least one role');

export const ManifestSchema = z
  .object({
    schema: z.literal('graft-pack/1'),
    id: z.string().regex(/^[a-z0-9-]+$/, 'must match [a-z0-9-]+'),
    version: z.string().min(1),
    name: z.string().min(1),
    description: z.string().default(''),
    sensor: z.enum(['naip', 'sentinel2', 'rgb', 'any']),
    gsd_m: z.number().positive(),
    bands: z.array(z.string().min(1)).min(1),
    input: z.object({
      size: z.number().int().min(1),
      pixel_range: z.tuple([z.number(), z.number()]),
      mean: z.array(z.number()),
      std: z.array(z.number().positive()),
    }),
    patch_size: z.number().int().min(1),
    embed_dim: z.number().int().min(1),
    precision: z.enum(['fp32', 'fp16']),
    roles: RolesSchema,
    files: z.record(
      fileName,
      z.object({
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
        bytes: z.number().int().min(0),
      }),
    ),
    license: z.string().min(1),
    citation: z.string().optional(),
    provenance: z
      .object({ source: z.string(), exporter: z.string(), created: z.string() })
      .partial()
      .optional(),
    goldens: fileName.optional(),
  })
  .superRefine((m, ctx) => {
    const nb = m.bands.length;
    for (const k of ['mean', 'std'] as const) {
      if (m.input[k].length !== nb)
        ctx.addIssue({
          code: 'custom',
          path: ['input', k],
          message: `expected ${nb} values (one per band ${m.bands.join(',')}), found ${m.input[k].length}`,
        });
    }
    if (!(m.input.pixel_range[1] > m.input.pixel_range[0]))
      ctx.addIssue({
        code: 'custom',
        path: ['input', 'pixel_range'],
        message: `expected [lo, hi] with hi > lo, found [${m.input.pixel_range.join(', ')}]`,
      });
    for (const [role, spec] of Object.entries(m.roles)) {
      if (!spec) continue;
      const need = [spec.file];
      if ('tokenizer' in spec && spec.tokenizer)
        need.push(
          ...(spec.tokenizer.kind === 'clip-bpe'
            ? [spec.tokenizer.vocab, spec.tokenizer.merges]
            : [spec.tokenizer.file]),
        );
      for (const f of need)
        if (!m.files[f])
          ctx.addIssue({
            code: 'custom',
            path: ['files'],
            message: `roles.${role} uses "${f}" but files has no entry for it (expected {sha256, bytes})`,
          });
    }
  });

export type PackManifest = z.infer<typeof ManifestSchema>;
export type RoleName = keyof PackManifest['roles'];
export type TensorSpec = z.infer<typeof TensorSpecSchema>;
export type RoleSpec = NonNullable<PackManifest['roles']['patch_encoder']>;
export const ROLE_NAMES: RoleName[] = [
  'patch_encoder',
  'image_encoder',
  'text_encoder',
  'sam_image_encoder',
  'sam_prompt_decoder',
];

/** A validated pack on disk. */
export interface Pack {
  dir: string;
  manifest: PackManifest;
}

function describe(x: unknown): string {
  if (x === undefined) return 'nothing';
  if (x === null) return 'null';
  if (Array.isArray(x)) return `array of ${x.length}`;
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (typeof x === 'object') return 'object';
  return `${typeof x} ${String(x)}`;
}

function pathText(p: PropertyKey[]): string {
  let s = '';
  for (const k of p) s += typeof k === 'number' ? `[${k}]` : s ? `.${String(k)}` : String(k);
  return s || '(root)';
}

function valueAt(obj: unknown, p: PropertyKey[]): unknown {
  let v = obj;
  for (const k of p) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/**
 * Validates a parsed manifest object. Throws AppError('PACK_INVALID') listing every problem as
 * "<field path>: <expected>, found <value>" (one per line after the first).
 */
export function parseManifest(raw: unknown, where = 'manifest.json'): PackManifest {
  const r = ManifestSchema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const found = i.code === 'custom' ? '' : `, found ${describe(valueAt(raw, i.path))}`;
    return `${pathText(i.path)}: ${i.message}${found}`;
  });
  throw new AppError('PACK_INVALID', `${where}: ${lines.length} problem(s):\n  ${lines.join('\n  ')}`, {
    problems: lines,
  });
}

/** Reads and validates `<dir>/manifest.json`. Throws NOT_FOUND or PACK_INVALID with the exact reason. */
export async function loadPack(dir: string, signal?: AbortSignal): Promise<Pack> {
  throwIfAborted(signal);
  const file = path.join(dir, 'manifest.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `${file}: no manifest.json (not a model pack folder)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError('PACK_INVALID', `${file}: invalid JSON (${(e as Error).message})`);
  }
  return { dir: path.resolve(dir), manifest: parseManifest(raw, file) };
}
