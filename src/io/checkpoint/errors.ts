// The error of the checkpoint-folder reader and writer: one line, "<path>: <problem>", where path is
// the folder or the file the problem is about. Errors from the weights file itself are
// SafetensorsErrors, which follow the same form.

import { oneLine } from '../safetensors/errors.js';

export class CheckpointFolderError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${oneLine(problem)}`);
    this.name = 'CheckpointFolderError';
  }
}
