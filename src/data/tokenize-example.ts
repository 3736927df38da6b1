// Rendered texts -> token ids, with BOS/EOS placement and truncation. The prompt is tokenized once
// and shared by chosen and rejected; each completion is tokenized on its own (TRL's convention, so
// the prompt/completion boundary is a token boundary) and gets EOS appended unless it already ends
// with it (templates that write EOS themselves).
//
// Truncation, in this order:
//   1. max_prompt_length: keep_start keeps the prompt's first tokens, keep_end its last tokens.
//   2. max_completion_length: each completion keeps its first tokens (EOS may be cut).
//   3. max_length (prompt + longest completion):
//        keep_start  each completion is cut at the end to fit; an example whose prompt alone
//                    fills max_length is dropped (no completion token would remain).
//        keep_end    the shared prompt loses tokens from its start until the longest side fits;
//                    an example whose longest completion alone exceeds max_length is dropped.
// Every truncated example is counted; every dropped one is listed with its position and reason.

import { formatPosition, type RecordPosition } from '../io/records/index.js';
import type { ChatTemplateOptions, Tokenizer } from '../tokenizers/index.js';
import type { PairedExample, UnpairedExample } from './example-types.js';
import { renderExample, type TemplateMismatch } from './render-example.js';

export type TruncationMode = 'keep_start' | 'keep_end';

export interface TokenizeOptions {
  maxLength?: number;
  maxPromptLength?: number;
  maxCompletionLength?: number;
  truncationMode?: TruncationMode;
  /** Append EOS to each completion. Default true. */
  addEos?: boolean;
  /** Start a plain-text (non-templated) prompt with BOS. Default: the tokenizer's addBosToken. */
  addBos?: boolean;
  chatTemplate?: ChatTemplateOptions;
}

export interface TokenizedPair {
  promptIds: number[];
  chosenIds: number[];
  rejectedIds: number[];
  margin?: number;
  preferenceProbability?: number;
  tie?: boolean;
  at?: RecordPosition;
}

export interface TokenizedUnpaired {
  promptIds: number[];
  completionIds: number[];
  label: boolean;
  at?: RecordPosition;
}

export interface DroppedExample {
  at?: RecordPosition;
  reason: string;
}

export interface TokenizeReport {
  seen: number;
  kept: number;
  truncated: number;
  dropped: DroppedExample[];
  templateMismatches: TemplateMismatch[];
}

export function newTokenizeReport(): TokenizeReport {
  return { seen: 0, kept: 0, truncated: 0, dropped: [], templateMismatches: [] };
}

/** Prompt ids and completion ids of one example, before truncation; undefined on a template mismatch. */
function encodeExample(
  ex: PairedExample | UnpairedExample,
  tok: Tokenizer,
  opts: TokenizeOptions,
  report: TokenizeReport,
  at?: RecordPosition,
): { prompt: number[]; completions: number[][] } | undefined {
  const { rendered, mismatches } = renderExample(ex, tok, opts.chatTemplate, at);
  if (!rendered) {
    report.templateMismatches.push(...mismatches);
    report.dropped.push({ at, reason: `the templated prompt is not a prefix of prompt + ${mismatches[0].side}` });
    return undefined;
  }
  const prompt = tok.encode(rendered.prompt);
  const addBos = opts.addBos ?? tok.addBosToken ?? false;
  if (!rendered.templated && addBos && tok.bosId !== undefined && prompt[0] !== tok.bosId) prompt.unshift(tok.bosId);
  const addEos = opts.addEos ?? true;
  const completions = rendered.completions.map((text) => {
    const ids = tok.encode(text);
    if (addEos && tok.eosId !== undefined && ids[ids.length - 1] !== tok.eosId) ids.push(tok.eosId);
    return ids;
  });
  return { prompt, completions };
}

/** Applies the three truncation steps; returns null (and why) when the example must be dropped. */
export function truncate(
  prompt: number[],
  completions: number[][],
  opts: TokenizeOptions,
): { prompt: number[]; completions: number[][]; truncated: boolean } | { dropReason: string } {
  const mode = opts.truncationMode ?? 'keep_start';
  let truncated = false;
  let p = prompt;
  let cs = completions;
  if (opts.maxPromptLength !== undefined && p.length > opts.maxPromptLength) {
    p = mode === 'keep_start' ? p.slice(0, opts.maxPromptLength) : p.slice(p.length - opts.maxPromptLength);
    truncated = true;
  }
  const maxC = opts.maxCompletionLength;
  if (maxC !== undefined && cs.some((c) => c.length > maxC)) {
    cs = cs.map((c) => (c.length > maxC ? c.slice(0, maxC) : c));
    truncated = true;
  }
  if (opts.maxLength !== undefined) {
    const max = opts.maxLength;
    const longest = Math.max(...cs.map((c) => c.length));
    if (p.length + longest > max) {
      truncated = true;
      if (mode === 'keep_start') {
        const room = max - p.length;
        if (room <= 0) return { dropReason: `the prompt (${p.length} tokens) fills max_length ${max}: no completion token fits (keep_start)` };
        cs = cs.map((c) => (c.length > room ? c.slice(0, room) : c));
      } else {
        if (longest >= max) return { dropReason: `a completion (${longest} tokens) alone fills max_length ${max}: no prompt token fits (keep_end)` };
        p = p.slice(p.length - (max - longest));
      }
    }
  }
  if (cs.some((c) => c.length === 0)) return { dropReason: 'a completion has no tokens left after truncation' };
  return { prompt: p, completions: cs, truncated };
}

export function tokenizePair(
  ex: PairedExample,
  tok: Tokenizer,
  opts: TokenizeOptions = {},
  report: TokenizeReport = newTokenizeReport(),
  at?: RecordPosition,
): TokenizedPair | undefined {
  report.seen++;
  const enc = encodeExample(ex, tok, opts, report, at);
  if (!enc) return undefined;
  const t = truncate(enc.prompt, enc.completions, opts);
  if ('dropReason' in t) {
    report.dropped.push({ at, reason: t.dropReason });
    return undefined;
  }
  if (t.truncated) report.truncated++;
  report.kept++;
  const out: TokenizedPair = { promptIds: t.prompt, chosenIds: t.completions[0], rejectedIds: t.completions[1] };
  if (ex.margin !== undefined) out.margin = ex.margin;
  if (ex.preferenceProbability !== undefined) out.preferenceProbability = ex.preferenceProbability;
  if (ex.tie !== undefined) out.tie = ex.tie;
  if (at) out.at = at;
  return out;
}

export function tokenizeUnpaired(
  ex: UnpairedExample,
  tok: Tokenizer,
  opts: TokenizeOptions = {},
  report: TokenizeReport = newTokenizeReport(),
  at?: RecordPosition,
): TokenizedUnpaired | undefined {
  report.seen++;
  const enc = encodeExample(ex, tok, opts, report, at);
  if (!enc) return undefined;
  const t = truncate(enc.prompt, enc.completions, opts);
  if ('dropReason' in t) {
    report.dropped.push({ at, reason: t.dropReason });
    return undefined;
  }
  if (t.truncated) report.truncated++;
  report.kept++;
  return { promptIds: t.prompt, completionIds: t.completions[0], label: ex.label, ...(at ? { at } : {}) };
}

/** Human lines for a report: counts, the dropped examples, and the template warning listing examples. */
export function describeTokenizeReport(r: TokenizeReport, maxListed = 20): string[] {
  const lines = [`tokenized ${r.seen} examples: ${r.kept} kept, ${r.truncated} truncated, ${r.dropped.length} dropped`];
  for (const d of r.dropped.slice(0, maxListed)) lines.push(`  dropped ${d.at ? formatPosition(d.at) : '(no position)'}: ${d.reason}`);
  if (r.dropped.length > maxListed) lines.push(`  ... and ${r.dropped.length - maxListed} more dropped`);
  if (r.templateMismatches.length) {
    lines.push(
      `warning: for ${r.templateMismatches.length} example side(s) the chat-templated prompt is not a prefix of the templated prompt + completion; they were dropped (the completion mask would be wrong). The template rewrites earlier turns once a reply is added.`,
    );
    for (const m of r.templateMismatches.slice(0, maxListed)) {
      lines.push(`  ${m.at ? formatPosition(m.at) : '(no position)'} ${m.side}: at character ${m.offset} the prompt renders ${m.promptSays} but prompt + ${m.side} renders ${m.fullSays}`);
    }
    if (r.templateMismatches.length > maxListed) lines.push(`  ... and ${r.templateMismatches.length - maxListed} more`);
  }
  return lines;
}
