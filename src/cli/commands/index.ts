import type { Command } from '../command';
import { infoCommand } from './info';
import { serveCommand } from './serve';
import { tileCommand } from './tile';
import { tokenizeCommand } from './tokenize';

/** Every subcommand, in the order `--help` lists them. */
export const commands: Command[] = [serveCommand, infoCommand, tileCommand, tokenizeCommand];
