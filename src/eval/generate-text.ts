// `prefkit generate`: text in, text out, through the model's own tokenizer and chat template.
import { loadModel } from '../models/load-save.js';
import { generate, type GenerateOptions } from '../models/generate.js';
import { resolveTokenizer } from './resolve-tokenizer.js';

export interface GenerateTextOptions extends Omit<GenerateOptions, 'decode'> {
  /** Wrap the prompt as a user message with the tokenizer's chat template. */
  chat?: boolean;
  /** A tokenizer folder, or 'byte'; default: the model folder's own (byte-level for 259-token models). */
  tokenizer?: string;
}

export function generateText(modelDir: string, prompts: string[], opts: GenerateTextOptions): { text: string[]; finish: string[] } {
  const model = loadModel(modelDir);
  const tok = resolveTokenizer(modelDir, model, opts.tokenizer).tokenizer;
  const encoded = prompts.map((p) => {
    if (opts.chat) {
      if (!tok.applyChatTemplate) throw new Error(`${modelDir}: the tokenizer has no chat template (tokenizer_config.json chat_template)`);
      return tok.encode(tok.applyChatTemplate([{ role: 'user', content: p }], { addGenerationPrompt: true }));
    }
    const ids = tok.encode(p);
    return tok.bosId !== undefined && tok.addBosToken ? [tok.bosId, ...ids] : ids;
  });
  const eos = opts.eosTokenIds ?? (tok.eosId !== undefined ? [tok.eosId] : undefined);
  const g = generate(model, encoded, { ...opts, eosTokenIds: eos, decode: (ids) => tok.decode(ids) });
  return { text: g.text!, finish: g.finish };
}
