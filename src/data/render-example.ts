// Example -> the prompt text and the completion texts a model sees.
//   standard:        the strings as they are (an implicit prompt is extracted first).
//   conversational:  through the tokenizer's chat template, as TRL does:
//     prompt text     = template(prompt, add_generation_prompt=true)
//     completion text = template(prompt + completion) minus its leading prompt text.
// That subtraction is only right when the templated prompt is a prefix of the templated
// prompt + completion. Templates that rewrite earlier turns once a reply follows (dropping
// reasoning, moving a system prompt, ...) break it; such examples are reported with where the two
// renderings part, and not used — a mask built on a wrong boundary would train on prompt tokens.

import type { RecordPosition } from '../io/records/index.js';
import type { ChatTemplateOptions, Tokenizer } from '../tokenizers/index.js';
import { quote } from './describe-value.js';
import type { ChatMessage, PreferenceExample, Text } from './example-types.js';
import { extractPrompt } from './implicit-prompt.js';

export interface RenderedExample {
  prompt: string;
  /** paired: [chosen, rejected]; unpaired: [completion]. */
  completions: string[];
  /** Whether the texts came from a chat template (they then hold their own BOS and markers). */
  templated: boolean;
}

export interface TemplateMismatch {
  at?: RecordPosition;
  side: string;
  /** The character offset where the templated prompt and prompt + completion first differ. */
  offset: number;
  promptSays: string;
  fullSays: string;
}

export class ChatTemplateMissingError extends Error {
  constructor() {
    super(
      'conversational examples need a chat template, and this tokenizer has none (hint: use a tokenizer folder whose tokenizer_config.json has "chat_template", add chat_template.jinja, or convert the data to standard strings)',
    );
    this.name = 'ChatTemplateMissingError';
  }
}

export function renderExample(
  ex: PreferenceExample,
  tok: Tokenizer,
  templateOpts: ChatTemplateOptions = {},
  at?: RecordPosition,
): { rendered?: RenderedExample; mismatches: TemplateMismatch[] } {
  if (ex.kind === 'ranked') throw new TypeError('renderExample: build pairs from ranked examples first (buildPairs)');
  const e = ex.kind === 'paired' ? extractPrompt(ex) : ex;
  const sides: [string, Text][] =
    e.kind === 'paired' ? [['chosen', e.chosen], ['rejected', e.rejected]] : [['completion', e.completion]];
  const prompt: Text = e.prompt ?? (Array.isArray(sides[0][1]) ? [] : '');
  if (typeof prompt === 'string') {
    return { rendered: { prompt, completions: sides.map(([, t]) => t as string), templated: false }, mismatches: [] };
  }
  if (!tok.applyChatTemplate) throw new ChatTemplateMissingError();
  const apply = tok.applyChatTemplate.bind(tok);
  const promptText = apply(prompt, { ...templateOpts, addGenerationPrompt: true });
  const completions: string[] = [];
  const mismatches: TemplateMismatch[] = [];
  for (const [side, text] of sides) {
    const full = apply([...prompt, ...(text as ChatMessage[])], { ...templateOpts, addGenerationPrompt: false });
    if (!full.startsWith(promptText)) {
      const offset = firstDifference(promptText, full);
      mismatches.push({
        at,
        side,
        offset,
        promptSays: quote(promptText.slice(Math.max(0, offset - 10), offset + 30)),
        fullSays: quote(full.slice(Math.max(0, offset - 10), offset + 30)),
      });
      continue;
    }
    completions.push(full.slice(promptText.length));
  }
  if (mismatches.length) return { mismatches };
  return { rendered: { prompt: promptText, completions, templated: true }, mismatches };
}

function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}
