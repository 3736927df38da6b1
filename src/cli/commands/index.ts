// Every sub-command, in the order `prefkit --help` lists them.
import type { Command } from '../command.js';
import { benchCommands } from './bench.js';
import { dataCommands } from './data.js';
import { evalCommands } from './eval.js';
import { demoCommand } from './demo.js';
import { modelCommands } from './model.js';
import { lossCommands } from './loss.js';
import { trainCommands } from './train.js';

export const COMMANDS: Command[] = [demoCommand, ...modelCommands, ...dataCommands, ...lossCommands, ...trainCommands, ...evalCommands, ...benchCommands];
