// Chat templates: the Jinja `chat_template` of tokenizer_config.json (or chat_template.jinja),
// rendered with @huggingface/jinja exactly as transformers does: the template sees `messages`,
// `add_generation_prompt`, `tools`, the special tokens (`bos_token`, `eos_token`, ...) and any
// extra variables. `raise_exception` is provided by the Jinja package; we turn what it throws
// into an error that names the template's file.

import { Template } from '@huggingface/jinja';
import { TokenizerError, type ChatMessage, type ChatTemplateOptions } from './tokenizer.js';

export type ChatTemplateFn = (messages: ChatMessage[], opts?: ChatTemplateOptions) => string;

/**
 * A chat_template entry may be one string, or a list of `{name, template}` (the one named
 * 'default' is used, as transformers does when no name is asked for).
 */
export function pickChatTemplate(value: unknown, file: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const named = value.find((t) => t && typeof t === 'object' && (t as { name?: unknown }).name === 'default');
    const t = (named ?? value[0]) as { template?: unknown } | undefined;
    if (t && typeof t.template === 'string') return t.template;
  }
  throw new TokenizerError(
    file,
    `field "chat_template": expected a string or a list of {name, template}, found ${JSON.stringify(value).slice(0, 60)}`,
    'fix the tokenizer_config.json, or remove the field to use the tokenizer without a template',
  );
}

export function compileChatTemplate(
  source: string,
  specialTokens: Record<string, string | undefined>,
  file: string,
): ChatTemplateFn {
  let template: Template;
  try {
    template = new Template(source);
  } catch (err) {
    throw new TokenizerError(file, `the chat template does not parse: ${(err as Error).message}`, 'check the Jinja syntax of chat_template');
  }
  return (messages, opts = {}) => {
    checkMessages(messages);
    try {
      return template.render({
        ...specialTokens,
        ...opts.extra,
        messages,
        add_generation_prompt: opts.addGenerationPrompt ?? false,
        ...(opts.tools ? { tools: opts.tools } : {}),
      });
    } catch (err) {
      throw new TokenizerError(
        file,
        `the chat template failed on a conversation of ${messages.length} messages (roles ${messages.map((m) => m.role).join(', ')}): ${(err as Error).message}`,
        'templates often require alternating user/assistant turns or a leading system turn',
      );
    }
  };
}

function checkMessages(messages: ChatMessage[]): void {
  if (!Array.isArray(messages)) throw new TypeError('applyChatTemplate: expected an array of {role, content} messages');
  messages.forEach((m, i) => {
    if (!m || typeof m.role !== 'string' || typeof m.content !== 'string') {
      throw new TypeError(`applyChatTemplate: messages[${i}] must be {role: string, content: string}, found ${JSON.stringify(m)}`);
    }
  });
}
