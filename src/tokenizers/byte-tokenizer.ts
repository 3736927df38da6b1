// A byte-level tokenizer for models trained from scratch: ids 0..255 are the UTF-8 bytes of the
// text, then three special tokens:
//   256 <pad>   257 <bos>   258 <eos>        vocabSize = 259
// Text is never scanned for special-token strings: "<eos>" typed in a prompt is five bytes, so
// user data cannot inject control tokens. Decoding is lenient (invalid UTF-8 becomes U+FFFD);
// special ids decode to their names unless `skipSpecialTokens` is set.
//
// An optional chat template (Jinja, same variables as Hugging Face) may be given; the default is a
// minimal ChatML-like layout:
//   <|user|>\nHello\n<|assistant|>\nHi!\n      (add_generation_prompt appends "<|assistant|>\n")

import { compileChatTemplate, type ChatTemplateFn } from './chat-template.js';
import type { ChatMessage, ChatTemplateOptions, DecodeOptions, EncodeOptions, Tokenizer } from './tokenizer.js';

export const BYTE_PAD_ID = 256;
export const BYTE_BOS_ID = 257;
export const BYTE_EOS_ID = 258;
const SPECIAL_NAMES = ['<pad>', '<bos>', '<eos>'];

export const DEFAULT_BYTE_CHAT_TEMPLATE =
  "{% for m in messages %}{{ '<|' + m['role'] + '|>\\n' + m['content'] + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

export interface ByteTokenizerOptions {
  /** Jinja chat template; `null` for none. Defaults to DEFAULT_BYTE_CHAT_TEMPLATE. */
  chatTemplate?: string | null;
  /** Whether plain-text prompts start with <bos>. Default true. */
  addBosToken?: boolean;
}

export class ByteTokenizer implements Tokenizer {
  readonly vocabSize = 259;
  readonly padId = BYTE_PAD_ID;
  readonly bosId = BYTE_BOS_ID;
  readonly eosId = BYTE_EOS_ID;
  readonly addBosToken: boolean;
  readonly applyChatTemplate?: (messages: ChatMessage[], opts?: ChatTemplateOptions) => string;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8');

  constructor(opts: ByteTokenizerOptions = {}) {
    this.addBosToken = opts.addBosToken ?? true;
    const source = opts.chatTemplate === undefined ? DEFAULT_BYTE_CHAT_TEMPLATE : opts.chatTemplate;
    if (source !== null) {
      const fn: ChatTemplateFn = compileChatTemplate(
        source,
        { bos_token: '<bos>', eos_token: '<eos>', pad_token: '<pad>' },
        'ByteTokenizer chat template',
      );
      this.applyChatTemplate = fn;
    }
  }

  encode(text: string, opts: EncodeOptions = {}): number[] {
    const bytes = this.encoder.encode(text);
    const ids = new Array<number>(bytes.length + (opts.addSpecialTokens && this.addBosToken ? 1 : 0));
    let k = 0;
    if (opts.addSpecialTokens && this.addBosToken) ids[k++] = BYTE_BOS_ID;
    for (let i = 0; i < bytes.length; i++) ids[k++] = bytes[i];
    return ids;
  }

  decode(ids: ArrayLike<number>, opts: DecodeOptions = {}): string {
    let out = '';
    let run: number[] = [];
    const flush = () => {
      if (run.length) out += this.decoder.decode(Uint8Array.from(run));
      run = [];
    };
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id >= 0 && id < 256) run.push(id);
      else {
        flush();
        if (!opts.skipSpecialTokens) {
          if (id >= 256 && id < 259) out += SPECIAL_NAMES[id - 256];
          else throw new RangeError(`ByteTokenizer.decode: id ${id} at position ${i} is outside 0..258`);
        }
      }
    }
    flush();
    return out;
  }

  tokenToId(token: string): number | undefined {
    const s = SPECIAL_NAMES.indexOf(token);
    return s >= 0 ? 256 + s : undefined;
  }
}
