import type { JobContext } from '../core/jobs/job-types';

/** Parsed command line: positionals in order, flags by long name (repeatable ones as arrays). */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | string[]>;
}

export interface CliIo {
  /** Normal output (tables, summaries). With --json, print exactly one JSON document with `json()`. */
  out(line: string): void;
  json(value: unknown): void;
  /** Diagnostics and progress go to stderr, never stdout. */
  err(line: string): void;
  /** A job context whose progress draws a bar on a TTY (silent with --json or no TTY). */
  job(label: string): JobContext;
  /** True when --json was passed. */
  jsonMode: boolean;
}

export interface FlagSpec {
  name: string;
  /** 'boolean' flags take no value; 'string' take one; 'multi' may repeat. */
  type: 'boolean' | 'string' | 'multi';
  description: string;
  alias?: string;
}

/**
 * One subcommand of `graft-workbench`. Each lives in its own file under src/cli/commands/
 * and is listed in src/cli/commands/index.ts. Throw `AppError` for bad input: the runner prints
 * a one-line `error: <message>` and exits 1 (2 for usage errors), never a stack trace.
 */
export interface Command {
  name: string;
  usage: string; // e.g. 'info <source...> [--json]'
  summary: string;
  flags: FlagSpec[];
  run(args: ParsedArgs, io: CliIo): Promise<number | void>;
}
