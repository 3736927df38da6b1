// The demo corpus: one English sentence a line (bundled: data/demo-corpus/sentences.txt, sentences of
// the HH-RLHF harmless-base test dialogues, MIT; see data/demo-corpus/PROVENANCE.txt). Sentences are
// split into SFT training text and held-out sentences by a hash of the sentence (FNV-1a), so the split
// never depends on the seed, the file order or the machine. The openings (first words) of held-out
// sentences are the prompts: the reference never saw those sentences during SFT.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** data/demo-corpus/sentences.txt, found from this module in src/ (tsx) or dist/src/ (compiled). */
export function bundledCorpusFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'data', 'demo-corpus', 'sentences.txt');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('demo corpus: data/demo-corpus/sentences.txt not found next to the prefkit package (hint: reinstall prefkit, or pass corpus.file)');
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface Opening {
  /** The prompt: the first words of a held-out sentence. */
  text: string;
  /** The rest of that sentence (for the report: what a human wrote). */
  humanCompletion: string;
}

export interface DemoCorpus {
  file: string;
  /** Sentences the reference is trained on. */
  train: string[];
  /** Held-out sentences (never in SFT). */
  heldout: string[];
  /** Distinct openings of held-out sentences, in hash order. */
  openings: Opening[];
}

export interface CorpusOptions {
  file?: string | null;
  heldoutFraction: number;
  openingWords: number;
}

/** Reads the corpus file (blank lines and surrounding spaces dropped). */
export function readSentences(file: string): string[] {
  if (!existsSync(file)) throw new Error(`demo corpus: ${file} does not exist (expected one sentence a line)`);
  const sentences = readFileSync(file, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  if (sentences.length < 50) throw new Error(`demo corpus: ${file} has ${sentences.length} sentences; the demo needs at least 50`);
  return sentences;
}

/** Splits a sentence after its first n words: ["Could you give", " me the weather?"] or null if too short. */
export function splitOpening(sentence: string, words: number): Opening | null {
  const re = /\S+/g;
  let end = -1;
  for (let k = 0; k < words; k++) {
    const m = re.exec(sentence);
    if (!m) return null;
    end = m.index + m[0].length;
  }
  const rest = sentence.slice(end);
  // Keep only openings whose sentence goes on for at least two more words.
  if ((rest.match(/\S+/g) ?? []).length < 2) return null;
  return { text: sentence.slice(0, end), humanCompletion: rest };
}

export function loadDemoCorpus(o: CorpusOptions): DemoCorpus {
  const file = o.file ?? bundledCorpusFile();
  const sentences = [...new Set(readSentences(file))];
  const cut = Math.floor(o.heldoutFraction * 0x100000000);
  const train: string[] = [];
  const heldout: string[] = [];
  for (const s of sentences) (fnv1a(s) < cut ? heldout : train).push(s);
  // Hash order (a fixed pseudo-random order) so that the first N openings are a fair sample.
  const byHash = [...heldout].sort((a, b) => fnv1a(`opening:${a}`) - fnv1a(`opening:${b}`) || (a < b ? -1 : 1));
  const seen = new Set<string>();
  const openings: Opening[] = [];
  for (const s of byHash) {
    const o2 = splitOpening(s, o.openingWords);
    if (!o2 || seen.has(o2.text)) continue;
    seen.add(o2.text);
    openings.push(o2);
  }
  return { file, train, heldout, openings };
}

/** The evaluation openings (first n) and the pair openings (next m), disjoint. */
export function promptSets(corpus: DemoCorpus, evalPrompts: number, pairPrompts: number): { evalSet: Opening[]; pairSet: Opening[] } {
  const need = evalPrompts + pairPrompts;
  if (corpus.openings.length < need) {
    throw new Error(`demo corpus: ${corpus.openings.length} distinct held-out openings, but sampling.eval_prompts + sampling.pair_prompts = ${need} ` +
      '(hint: lower them, raise corpus.heldout_fraction, or use a larger corpus)');
  }
  return { evalSet: corpus.openings.slice(0, evalPrompts), pairSet: corpus.openings.slice(evalPrompts, need) };
}
