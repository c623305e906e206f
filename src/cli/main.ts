import { AppError, toErrorPayload } from '../shared/errors';
import type { CliIo, Command } from './command';
import { commands } from './commands/index';
import { GLOBAL_FLAGS, parseArgs } from './parse-args';
import { progressContext } from './progress-bar';

const NAME = 'graft-workbench';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `${NAME}: text search over aerial and satellite imagery (GRAFT features, SAM polygons), offline.`,
    '',
    `Usage: ${NAME} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...GLOBAL_FLAGS.map((f) => `  --${f.name.padEnd(10)} ${f.description}`),
    '',
    `Run \`${NAME} <command> --help\` for a command's options.`,
  ].join('\n');
}

function commandHelp(c: Command): string {
  const flags = [...c.flags, ...GLOBAL_FLAGS];
  return [
    `Usage: ${NAME} ${c.usage}`,
    '',
    c.summary,
    '',
    'Options:',
    ...flags.map(
      (f) =>
        `  ${(f.alias ? `-${f.alias}, ` : '    ') + `--${f.name}${f.type === 'boolean' ? '' : ' <value>'}`.padEnd(26)} ${f.description}${f.type === 'multi' ? ' (repeatable)' : ''}`,
    ),
  ].join('\n');
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export async function runCli(
  argv: string[],
  streams = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    streams.stdout.write(helpText() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    streams.stdout.write(`${(pkg as { version: string }).version}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    streams.stderr.write(`error: unknown command "${name}". Run \`${NAME} --help\` for the list.\n`);
    return 2;
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let jsonMode = false;
  const bars: { end(): void }[] = [];
  try {
    const args = parseArgs(rest, command.flags);
    jsonMode = args.flags.json === true;
    if (args.flags.help) {
      streams.stdout.write(commandHelp(command) + '\n');
      return 0;
    }
    const io: CliIo = {
      jsonMode,
      out: (line) => streams.stdout.write(line + '\n'),
      json: (value) => streams.stdout.write(JSON.stringify(value, null, 2) + '\n'),
      err: (line) => streams.stderr.write(line + '\n'),
      job: (label) => {
        const bar = progressContext(
          label,
          streams.stderr,
          !jsonMode && streams.stderr.isTTY === true,
          controller.signal,
        );
        bars.push(bar);
        return bar;
      },
    };
    const code = await command.run(args, io);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    for (const b of bars) b.end();
    const e = toErrorPayload(err);
    if (jsonMode) streams.stdout.write(JSON.stringify({ error: e }) + '\n');
    streams.stderr.write(
      `error: ${e.message}${e.code === 'INTERNAL' && err instanceof Error && !(err instanceof AppError) ? ' (internal error; please report it)' : ''}\n`,
    );
    if (e.code === 'INTERNAL' && process.env.GRAFT_DEBUG) streams.stderr.write(`${(err as Error).stack}\n`);
    return e.code === 'BAD_REQUEST' ? 2 : e.code === 'CANCELLED' ? 130 : 1;
  } finally {
    for (const b of bars) b.end();
    process.off('SIGINT', onSigint);
  }
}
