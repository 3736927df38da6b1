// The one error type of the safetensors reader and writer. Its message is a single line that starts
// with the file it is about: "<file>: <problem>", so a CLI can print it as is.

export class SafetensorsError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${oneLine(problem)}`);
    this.name = 'SafetensorsError';
  }
}

/** Collapses any line breaks (e.g. from a JSON.parse message) so the error stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The message of an unknown thrown value, on one line. */
export function messageOf(err: unknown): string {
  return oneLine(err instanceof Error ? err.message : String(err));
}
