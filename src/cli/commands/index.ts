import type { Command } from '../command';
import { classifyCommand } from './classify';
import { indexCommand } from './index-cmd';
import { infoCommand } from './info';
import { packsCommand } from './packs';
import { queryCommand } from './query';
import { retrieveCommand } from './retrieve';
import { segmentCommand } from './segment';
import { serveCommand } from './serve';
import { tileCommand } from './tile';
import { tokenizeCommand } from './tokenize';

/** Every subcommand, in the order `--help` lists them. */
export const commands: Command[] = [
  serveCommand,
  infoCommand,
  tileCommand,
  tokenizeCommand,
  packsCommand,
  indexCommand,
  queryCommand,
  retrieveCommand,
  classifyCommand,
  segmentCommand,
];
