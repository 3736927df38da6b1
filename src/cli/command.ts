// One CLI sub-command: `prefkit <name...> [args]`. Commands parse their own argv (after the name)
// and return the process exit code. Output goes to stdout; errors to stderr as one clear line.

export interface Command {
  /** Words after `prefkit`, e.g. 'data inspect' or 'bench gemm'. */
  name: string;
  /** One line for `prefkit --help`. */
  summary: string;
  /** Full usage text for `prefkit <name> --help` (a function when it needs a module loaded first). */
  usage: string | (() => Promise<string>);
  run(argv: string[]): Promise<number>;
}

export async function usageText(command: Command): Promise<string> {
  return typeof command.usage === 'string' ? command.usage : command.usage();
}

/** An error the CLI prints as one line (no stack trace) before exiting with `exitCode`. */
export class UsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'UsageError';
  }
}
