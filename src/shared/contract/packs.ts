import { z } from 'zod';

const RoleNameSchema = z.enum([
  'patch_encoder',
  'image_encoder',
  'text_encoder',
  'sam_image_encoder',
  'sam_prompt_decoder',
]);
const PackSourceSchema = z.enum(['starter', 'fixture', 'user']);

export const PackSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  dir: z.string(),
  source: PackSourceSchema,
  roles: z.array(RoleNameSchema),
  sensor: z.string(),
  gsd_m: z.number(),
  bands: z.array(z.string()),
  embed_dim: z.number(),
  precision: z.string(),
  bytes: z.number(),
  license: z.string(),
});
export type PackSummaryDto = z.infer<typeof PackSummarySchema>;

export const BrokenPackSchema = z.object({ dir: z.string(), source: PackSourceSchema, error: z.string() });

const ValueInfoSchema = z.object({
  name: z.string(),
  type: z.string(),
  shape: z.array(z.union([z.number(), z.string()])),
});

export const VerifyReportSchema = z.object({
  id: z.string(),
  dir: z.string(),
  ok: z.boolean(),
  problems: z.array(z.string()),
  graphs: z.partialRecord(
    RoleNameSchema,
    z.object({ file: z.string(), inputs: z.array(ValueInfoSchema), outputs: z.array(ValueInfoSchema) }),
  ),
});

const PackId = z.string().regex(/^[a-z0-9-]+$/);

/** Model-pack requests. packs.import is a job: its JobInfo.result is a PackSummary. */
export const packsRequests = {
  'packs.list': {
    req: z.object({}),
    res: z.object({ packs: z.array(PackSummarySchema), broken: z.array(BrokenPackSchema) }),
  },
  'packs.verify': {
    req: z.object({ id: PackId, checkHashes: z.boolean().default(true) }),
    res: VerifyReportSchema,
  },
  'packs.import': {
    req: z.object({
      source: z.string().min(1).describe('a pack folder on this machine or an http(s) URL'),
      replace: z.boolean().default(false),
    }),
    res: z.object({ jobId: z.string() }),
  },
  'packs.remove': { req: z.object({ id: PackId }), res: z.object({ id: z.string(), dir: z.string() }) },
} as const;
