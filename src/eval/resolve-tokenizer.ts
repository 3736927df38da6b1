// The tokenizer an evaluated checkpoint uses: its folder's tokenizer.json, an explicit tokenizer
// folder, or 'byte' — prefkit's byte-level tokenizer (vocab 259), the one models trained from
// scratch use. A folder without tokenizer.json whose vocabulary is exactly 259 gets the byte
// tokenizer (with a note); any other folder without one is an error that says what to pass.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DecoderModel } from '../models/decoder-params.js';
import { ByteTokenizer, loadTokenizer, type Tokenizer } from '../tokenizers/index.js';

export interface ResolvedTokenizer {
  tokenizer: Tokenizer;
  /** Where it came from: a folder path or 'byte'. */
  source: string;
  note?: string;
}

const BYTE_VOCAB = 259;

export function resolveTokenizer(modelDir: string, model: DecoderModel, override?: string): ResolvedTokenizer {
  const check = (tok: Tokenizer, source: string): ResolvedTokenizer => {
    if (tok.vocabSize > model.config.vocabSize) {
      throw new Error(
        `${modelDir}: the tokenizer (${source}) has ${tok.vocabSize} tokens but the model only ${model.config.vocabSize} ` +
          '(hint: pass the tokenizer the model was trained with, --tokenizer DIR|byte)',
      );
    }
    return { tokenizer: tok, source };
  };
  if (override === 'byte') return check(new ByteTokenizer(), 'byte');
  if (override) return check(loadTokenizer(override), override);
  if (existsSync(join(modelDir, 'tokenizer.json'))) return check(loadTokenizer(modelDir), modelDir);
  if (model.config.vocabSize === BYTE_VOCAB) {
    return { tokenizer: new ByteTokenizer(), source: 'byte', note: `${modelDir} has no tokenizer.json and a 259-token vocabulary: using prefkit's byte-level tokenizer` };
  }
  throw new Error(
    `${modelDir}: no tokenizer.json, and the vocabulary (${model.config.vocabSize}) is not the byte tokenizer's (259) ` +
      '(hint: pass --tokenizer DIR with the tokenizer.json the model was trained with)',
  );
}
