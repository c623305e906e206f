import type { Command } from '../command';
import { serveCommand } from './serve';
import { tokenizeCommand } from './tokenize';

/** Every subcommand, in the order `--help` lists them. */
export const commands: Command[] = [serveCommand, tokenizeCommand];
