// Hugging Face checkpoint folders: config.json + model.safetensors (or a sharded index) + tokenizer
// files. Reading is lazy (weights via a SafetensorsReader); writing is atomic (see write-folder.ts).

export { CheckpointFolderError } from './errors.js';
export {
  CONFIG_FILE,
  DEFAULT_COPIED_FILES,
  TOKENIZER_FILE_NAMES,
  WEIGHTS_FILE,
  WEIGHTS_INDEX_FILE,
  type TokenizerFileName,
} from './file-names.js';
export { toPythonJson } from './python-json.js';
export { NOT_A_FOLDER_HINT, readCheckpointFolder, readConfig, type CheckpointFolder } from './read-folder.js';
export { writeCheckpointFolder, type CheckpointToWrite, type CopyFiles } from './write-folder.js';
