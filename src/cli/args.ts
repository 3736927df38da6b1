// Strict option parsing for sub-commands (node:util parseArgs): unknown options are errors naming them.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function parseOptions(command: string, argv: string[], options: OptionSpec, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (e) {
    const valid = Object.keys(options).map((k) => `--${k}`).join(', ');
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (valid options for '${command}': ${valid})`);
  }
}

/** "256,512" -> [256, 512], with an error naming the option when a value is not a positive integer. */
export function parseIntList(option: string, value: string | undefined, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new UsageError(`--${option} expects comma-separated positive integers, got '${value}'`);
  }
  return list;
}
