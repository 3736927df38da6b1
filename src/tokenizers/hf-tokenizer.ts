// Loads a Hugging Face tokenizer folder with @huggingface/tokenizers (pure TS, no network):
//   tokenizer.json          required: the model, normalizer, pre-tokenizer, decoder, added tokens
//   tokenizer_config.json   optional: bos/eos/pad/unk tokens, add_bos_token, chat_template
//   chat_template.jinja     optional: the template newer transformers versions save separately
// Nothing is ever fetched. A model id such as "Qwen/Qwen2-0.5B" that is not a local folder is an
// error that says so.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { compileChatTemplate, pickChatTemplate } from './chat-template.js';
import {
  TokenizerError,
  type ChatMessage,
  type ChatTemplateOptions,
  type DecodeOptions,
  type EncodeOptions,
  type Tokenizer,
} from './tokenizer.js';

type Json = Record<string, unknown>;

const SPECIAL_KEYS = ['bos_token', 'eos_token', 'pad_token', 'unk_token', 'sep_token', 'cls_token', 'mask_token'] as const;

export interface HfTokenizerInfo {
  dir: string;
  /** `model.type` of tokenizer.json (BPE, WordPiece, Unigram, ...). */
  modelType: string;
  hasChatTemplate: boolean;
  specialTokens: Record<string, string | undefined>;
}

export class HfFolderTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly eosId?: number;
  readonly bosId?: number;
  readonly padId?: number;
  readonly addBosToken: boolean;
  readonly applyChatTemplate?: (messages: ChatMessage[], opts?: ChatTemplateOptions) => string;
  readonly info: HfTokenizerInfo;
  private readonly cleanUpSpaces: boolean;

  constructor(
    private readonly inner: HfTokenizer,
    config: Json,
    info: HfTokenizerInfo,
    chatTemplate: string | undefined,
    templateFile: string,
  ) {
    this.info = info;
    const vocab = inner.get_vocab(true);
    let max = -1;
    for (const id of vocab.values()) if (id > max) max = id;
    this.vocabSize = max + 1;
    const idOf = (name: string): number | undefined => {
      const t = info.specialTokens[name];
      return t === undefined ? undefined : inner.token_to_id(t);
    };
    this.bosId = idOf('bos_token');
    this.eosId = idOf('eos_token');
    this.padId = idOf('pad_token');
    this.cleanUpSpaces = config.clean_up_tokenization_spaces === true;
    if (typeof config.add_bos_token === 'boolean') this.addBosToken = config.add_bos_token;
    else {
      const probe = inner.encode('a', { add_special_tokens: true }).ids;
      this.addBosToken = this.bosId !== undefined && probe[0] === this.bosId;
    }
    if (chatTemplate !== undefined) {
      this.applyChatTemplate = compileChatTemplate(chatTemplate, info.specialTokens, templateFile);
    }
  }

  encode(text: string, opts: EncodeOptions = {}): number[] {
    if (text.length === 0 && !opts.addSpecialTokens) return [];
    return this.inner.encode(text, { add_special_tokens: opts.addSpecialTokens ?? false }).ids;
  }

  decode(ids: ArrayLike<number>, opts: DecodeOptions = {}): string {
    if (ids.length === 0) return '';
    return this.inner.decode(Array.from(ids), {
      skip_special_tokens: opts.skipSpecialTokens ?? false,
      clean_up_tokenization_spaces: this.cleanUpSpaces,
    });
  }

  tokenToId(token: string): number | undefined {
    return this.inner.token_to_id(token);
  }
}

/** Loads tokenizer.json (+ tokenizer_config.json, chat_template.jinja) from a local folder. */
export function loadTokenizer(dir: string): HfFolderTokenizer {
  checkFolder(dir);
  const tokFile = join(dir, 'tokenizer.json');
  if (!existsSync(tokFile)) {
    throw new TokenizerError(
      tokFile,
      'file not found: the folder has no tokenizer.json',
      'prefkit reads the "fast" tokenizer.json; convert a sentencepiece/vocab-only tokenizer with transformers (`AutoTokenizer.from_pretrained(dir).save_pretrained(dir)`)',
    );
  }
  const tokJson = readJson(tokFile);
  const model = tokJson.model as Json | undefined;
  if (!model || typeof model !== 'object' || typeof model.type !== 'string') {
    throw new TokenizerError(tokFile, 'field "model.type" is missing: this is not a Hugging Face tokenizer.json', 'the file must come from the `tokenizers` library');
  }
  const cfgFile = join(dir, 'tokenizer_config.json');
  const config = existsSync(cfgFile) ? readJson(cfgFile) : {};
  const specialTokens: Record<string, string | undefined> = {};
  for (const key of SPECIAL_KEYS) specialTokens[key] = tokenString(config[key], cfgFile, key);

  let templateSource = pickChatTemplate(config.chat_template, cfgFile);
  let templateFile = cfgFile;
  const jinjaFile = join(dir, 'chat_template.jinja');
  if (templateSource === undefined && existsSync(jinjaFile)) {
    templateSource = readFileSync(jinjaFile, 'utf8');
    templateFile = jinjaFile;
  }

  let inner: HfTokenizer;
  try {
    inner = new HfTokenizer(withDefaults(tokJson), config);
  } catch (err) {
    throw new TokenizerError(
      tokFile,
      `cannot build the tokenizer (model type ${String(model.type)}): ${(err as Error).message}`,
      '@huggingface/tokenizers supports BPE, WordPiece, Unigram and their usual normalizers/pre-tokenizers',
    );
  }
  const info: HfTokenizerInfo = { dir, modelType: model.type, hasChatTemplate: templateSource !== undefined, specialTokens };
  const tok = new HfFolderTokenizer(inner, config, info, templateSource, templateFile);
  for (const key of ['bos_token', 'eos_token', 'pad_token'] as const) {
    const t = specialTokens[key];
    if (t !== undefined && inner.token_to_id(t) === undefined) {
      throw new TokenizerError(cfgFile, `field "${key}": the token ${JSON.stringify(t)} is not in the vocabulary of tokenizer.json`, 'the two files do not belong together');
    }
  }
  return tok;
}

function checkFolder(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (isDir) return;
  if (existsSync(dir)) {
    throw new TokenizerError(dir, 'expected a tokenizer folder, found a file', 'pass the folder that holds tokenizer.json');
  }
  const looksLikeHubId = /^[\w.-]+\/[\w.-]+$/.test(dir) || /^[\w.-]+$/.test(dir);
  throw new TokenizerError(
    dir,
    looksLikeHubId
      ? 'not a local folder: prefkit never downloads models or tokenizers, and this looks like a Hugging Face Hub id'
      : 'folder not found',
    looksLikeHubId
      ? `download it first (e.g. \`huggingface-cli download ${dir} --local-dir ./${dir.split('/').pop()}\`) and pass that folder`
      : 'check the path',
  );
}

function readJson(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TokenizerError(file, `cannot read: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new TokenizerError(file, `invalid JSON: ${(err as Error).message}`, 'the file is damaged or cut short; fetch it again');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new TokenizerError(file, 'expected a JSON object at the top level');
  }
  return value as Json;
}

/** Special tokens appear as "<s>" or as {"content": "<s>", ...} (AddedToken form). */
function tokenString(v: unknown, file: string, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && typeof (v as Json).content === 'string') return (v as Json).content as string;
  throw new TokenizerError(file, `field "${key}": expected a token string or {content: string}, found ${JSON.stringify(v)}`);
}

/** tokenizer.json files may omit these keys; the JS package expects them present. */
function withDefaults(t: Json): Json {
  return {
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: null,
    added_tokens: [],
    ...t,
  };
}
