// Tokenizers: Hugging Face folders (tokenizer.json + chat template) and a byte-level tokenizer.
export { TokenizerError } from './tokenizer.js';
export type { ChatMessage, ChatTemplateOptions, DecodeOptions, EncodeOptions, Tokenizer } from './tokenizer.js';
export { ByteTokenizer, BYTE_BOS_ID, BYTE_EOS_ID, BYTE_PAD_ID, DEFAULT_BYTE_CHAT_TEMPLATE } from './byte-tokenizer.js';
export type { ByteTokenizerOptions } from './byte-tokenizer.js';
export { HfFolderTokenizer, loadTokenizer } from './hf-tokenizer.js';
export type { HfTokenizerInfo } from './hf-tokenizer.js';
export { compileChatTemplate, pickChatTemplate } from './chat-template.js';
export type { ChatTemplateFn } from './chat-template.js';
