// The tokenizer contract the rest of prefkit uses. Two implementations: `loadTokenizer(dir)` for a
// Hugging Face folder (tokenizer.json + tokenizer_config.json) and `ByteTokenizer` for models
// trained from scratch.

/** One chat turn, as in Hugging Face chat templates. Extra keys (tool_calls, name, ...) pass through. */
export interface ChatMessage {
  role: string;
  content: string;
  [key: string]: unknown;
}

export interface ChatTemplateOptions {
  /** Append the header of an assistant turn (the prompt a model continues). Default false. */
  addGenerationPrompt?: boolean;
  /** Tool definitions, passed to the template as `tools`. */
  tools?: unknown[];
  /** Any other variables the template reads (e.g. `enable_thinking`). */
  extra?: Record<string, unknown>;
}

export interface EncodeOptions {
  /**
   * Add the special tokens the tokenizer's post-processor adds (e.g. Llama's BOS). Default false:
   * prefkit places BOS/EOS itself (see src/data/tokenize-example.ts).
   */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Leave special tokens (BOS, EOS, PAD, ...) out of the text. Default false. */
  skipSpecialTokens?: boolean;
}

export interface Tokenizer {
  encode(text: string, opts?: EncodeOptions): number[];
  decode(ids: ArrayLike<number>, opts?: DecodeOptions): string;
  /** One more than the largest id the tokenizer can produce (the embedding rows a model needs). */
  readonly vocabSize: number;
  readonly eosId?: number;
  readonly bosId?: number;
  readonly padId?: number;
  /** Whether the model expects BOS at the start of a plain-text prompt (tokenizer_config `add_bos_token`, or what the post-processor does). */
  readonly addBosToken?: boolean;
  /** Present only when the tokenizer has a chat template. */
  applyChatTemplate?(messages: ChatMessage[], opts?: ChatTemplateOptions): string;
  tokenToId?(token: string): number | undefined;
}

/** A tokenizer folder or file that cannot be used; the message names the file and the problem. */
export class TokenizerError extends Error {
  constructor(
    readonly file: string,
    readonly what: string,
    readonly hint?: string,
  ) {
    super(`${file}: ${what}${hint ? ` (hint: ${hint})` : ''}`);
    this.name = 'TokenizerError';
  }
}
