// `prefkit` entry: finds the sub-command by its leading words and runs it. No ML logic lives here.
import { COMMANDS } from './commands/index.js';
import { UsageError, usageText, type Command } from './command.js';

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  prefkit ${c.name.padEnd(width)}  ${c.summary}`);
  return ['prefkit — learning from preferences in TypeScript', '', 'Commands:', ...lines, '',
    'Run `prefkit <command> --help` for the options of a command.',
    'Environment: PREFKIT_BACKEND=native|reference (default native), PREFKIT_THREADS=N.'].join('\n');
}

/** The longest command name matching the leading words of argv. */
function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  let best: { command: Command; rest: string[] } | null = null;
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.command.name.split(' ').length)) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(helpText());
    return argv.length === 0 ? 1 : 0;
  }
  if (argv[0] === '--version') {
    console.log('prefkit 0.1.0');
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const prefix = COMMANDS.filter((c) => c.name.startsWith(argv[0] + ' ')).map((c) => c.name);
    const hint = prefix.length > 0 ? `did you mean one of: ${prefix.join(', ')}?` : 'run `prefkit --help` for the list';
    console.error(`prefkit: unknown command '${argv.join(' ')}'; ${hint}`);
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    console.log(await usageText(found.command));
    return 0;
  }
  try {
    return await found.command.run(found.rest);
  } catch (e) {
    const err = e as Error;
    console.error(`prefkit ${found.command.name}: ${err.message}`);
    if (process.env.PREFKIT_DEBUG) console.error(err.stack);
    return err instanceof UsageError ? err.exitCode : 1;
  }
}
