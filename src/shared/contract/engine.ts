import { z } from 'zod';
import { samEngineRequests } from './segment';

const PackRef = {
  packId: z.string().regex(/^[a-z0-9-]+$/),
  /** A pack folder outside the registry (benchmarks, tests); default: the registry's pack with this id. */
  packDir: z.string().optional(),
};

/** Chips for an image role: ONE buffer, physical units (NAIP DN, S2 reflectance), band-major per chip. */
const ChipBatch = z.object({
  ...PackRef,
  // pixels: float32[n, bands.length, height, width]
  pixels: z.instanceof(Float32Array),
  bands: z.array(z.string().min(1)).min(1),
  n: z.number().int().min(0),
  height: z.number().int().min(1),
  width: z.number().int().min(1),
});

/** Inference requests (src/engine/model-handlers.ts): sessions live only in the engine process. */
const modelEngineRequests = {
  /** Patch embeddings: embeds float32[n, tokens, dim] (raw, not normalised), grid = patches per chip side. */
  'engine.encodePatches': {
    req: ChipBatch,
    res: z.object({
      embeds: z.instanceof(Float32Array),
      n: z.number(),
      tokens: z.number(),
      dim: z.number(),
      grid: z.object({ rows: z.number(), cols: z.number() }),
      provider: z.string(),
    }),
  },
  /** Image-level embeddings: embeds float32[n, dim] (raw). */
  'engine.encodeImages': {
    req: ChipBatch,
    res: z.object({
      embeds: z.instanceof(Float32Array),
      n: z.number(),
      dim: z.number(),
      provider: z.string(),
    }),
  },
  /** Text embeddings through the pack's tokenizer and text encoder: embeds float32[n, dim] (raw). */
  'engine.encodeText': {
    req: z.object({ ...PackRef, texts: z.array(z.string()).min(1).max(1024) }),
    res: z.object({
      embeds: z.instanceof(Float32Array),
      n: z.number(),
      dim: z.number(),
      provider: z.string(),
    }),
  },
  /** Which execution provider runs each loaded session: { "<pack id>/<role>": "cuda" | "cpu" }. */
  'engine.providers': { req: z.object({}), res: z.record(z.string(), z.string()) },
} as const;

/**
 * Requests the host sends to the engine process (the one that runs ONNX Runtime). They never
 * reach the renderer directly; host handlers call them.
 */
export const engineRequests = {
  'engine.ping': { req: z.object({}), res: z.object({ pid: z.number(), uptimeS: z.number() }) },
  'engine.selfTest': {
    req: z.object({ steps: z.number().int().min(1), stepMs: z.number().int().min(0) }),
    res: z.object({ steps: z.number(), checksum: z.number() }),
  },
  /** Test hook: makes the engine process exit, to prove the host restarts it. */
  'engine.crash': { req: z.object({}), res: z.object({}) },
  ...modelEngineRequests,
  ...samEngineRequests,
} as const;
