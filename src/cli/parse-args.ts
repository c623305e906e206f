import { AppError } from '../shared/errors';
import type { FlagSpec, ParsedArgs } from './command';

/** Global flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'json', type: 'boolean', description: 'machine-readable JSON on stdout' },
  { name: 'help', alias: 'h', type: 'boolean', description: 'show help for the command' },
];

/**
 * Parses `--flag value`, `--flag=value`, `-o value`, repeated `multi` flags and `--` (end of
 * flags). Unknown flags are a usage error naming the flag, so typos never pass silently.
 */
export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const all = [...specs, ...GLOBAL_FLAGS];
  const byName = new Map<string, FlagSpec>();
  for (const s of all) {
    byName.set(s.name, s);
    if (s.alias) byName.set(s.alias, s);
  }
  const out: ParsedArgs = { positionals: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    // A lone "-" or a negative number is a value, not a flag (e.g. "--point -122.4,37.8").
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) {
      out.positionals.push(a);
      continue;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = byName.get(name);
    if (!spec) throw new AppError('BAD_REQUEST', `unknown option ${a}`);
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new AppError('BAD_REQUEST', `option --${spec.name} takes no value`);
      out.flags[spec.name] = true;
      continue;
    }
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new AppError('BAD_REQUEST', `option --${spec.name} needs a value`);
    if (spec.type === 'multi') {
      const prev = out.flags[spec.name];
      out.flags[spec.name] = [...(Array.isArray(prev) ? prev : []), value];
    } else out.flags[spec.name] = value;
    value = undefined;
  }
  return out;
}

/** A string flag's value, or undefined. */
export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[v.length - 1] : undefined;
}

/** A numeric flag, validated: "--port abc" is a usage error, not NaN. */
export function flagNumber(
  args: ParsedArgs,
  name: string,
  opts: { min?: number; max?: number; int?: boolean } = {},
): number | undefined {
  const s = flagString(args, name);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (
    !Number.isFinite(n) ||
    (opts.int && !Number.isInteger(n)) ||
    (opts.min !== undefined && n < opts.min) ||
    (opts.max !== undefined && n > opts.max)
  ) {
    const range = [
      opts.min !== undefined ? `>= ${opts.min}` : '',
      opts.max !== undefined ? `<= ${opts.max}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    throw new AppError(
      'BAD_REQUEST',
      `--${name} must be ${opts.int ? 'an integer' : 'a number'}${range ? ` ${range}` : ''}, got "${s}"`,
    );
  }
  return n;
}

export function flagList(args: ParsedArgs, name: string): string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}
