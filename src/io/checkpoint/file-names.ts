// The file names of a Hugging Face checkpoint folder that prefkit reads, writes or copies.

export const CONFIG_FILE = 'config.json';
export const WEIGHTS_FILE = 'model.safetensors';
export const WEIGHTS_INDEX_FILE = 'model.safetensors.index.json';

/** Tokenizer files a folder may hold (fast tokenizer, its config, and slow-tokenizer vocabularies). */
export const TOKENIZER_FILE_NAMES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'added_tokens.json',
  'chat_template.jinja',
  'vocab.json',
  'merges.txt',
  'tokenizer.model',
] as const;

export type TokenizerFileName = (typeof TOKENIZER_FILE_NAMES)[number];

/** What `writeCheckpointFolder` copies from a source folder by default (each only if present). */
export const DEFAULT_COPIED_FILES: readonly string[] = [...TOKENIZER_FILE_NAMES, 'generation_config.json'];
