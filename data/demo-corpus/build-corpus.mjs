// Rebuilds sentences.txt from the HH-RLHF harmless-base test split (MIT, Anthropic; the copy in
// test/fixtures/data/hh-rlhf-harmless-test/). Run from the repository root:
//   node data/demo-corpus/build-corpus.mjs
// Steps (see PROVENANCE.txt): every Human and Assistant turn of both the chosen and the rejected
// dialogue -> typographic quotes made ASCII, whitespace collapsed -> split into sentences after
// . ! ? -> keep sentences of 20..120 printable-ASCII characters, 4+ words, starting with a capital
// letter and ending in . ! or ? -> drop every sentence with a word from blocklist.txt (slurs,
// profanity, sexual content, violence, crime, drugs) -> dedupe -> sort (byte order), so the output
// depends only on the input file.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, '..', '..', 'test', 'fixtures', 'data', 'hh-rlhf-harmless-test', 'test.jsonl.gz');
const blocked = readFileSync(join(here, 'blocklist.txt'), 'utf8').split('\n')
  .flatMap((l) => l.replace(/#.*/, '').trim().toLowerCase().split(/\s+/)).filter(Boolean);
// A blocklist entry ending in '*' matches every word that starts with it; otherwise the whole word.
const exact = new Set(blocked.filter((w) => !w.endsWith('*')));
const prefixes = blocked.filter((w) => w.endsWith('*')).map((w) => w.slice(0, -1));
const isBlocked = (sentence) => (sentence.toLowerCase().match(/[a-z]+/g) ?? [])
  .some((w) => exact.has(w) || prefixes.some((p) => w.startsWith(p)));

const kept = new Set();
let seen = 0;
let droppedByBlocklist = 0;
const lines = gunzipSync(readFileSync(source)).toString('utf8').split('\n').filter(Boolean);
for (const line of lines) {
  const record = JSON.parse(line);
  for (const side of ['chosen', 'rejected']) {
    for (const turn of record[side].split(/\n\n(?=Human: |Assistant: )/)) {
      const m = turn.match(/^(?:Human|Assistant): ([\s\S]*)$/);
      if (!m) continue;
      const text = m[1].replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ').trim();
      for (const s of text.split(/(?<=[.!?])\s+(?=[A-Z"])/)) {
        seen++;
        if (s.length < 20 || s.length > 120 || /[^\x20-\x7e]/.test(s)) continue;
        if (/Human:|Assistant:/.test(s)) continue;
        if (!/^[A-Z]/.test(s) || !/[.!?]$/.test(s) || s.split(' ').length < 4) continue;
        if (isBlocked(s)) {
          droppedByBlocklist++;
          continue;
        }
        kept.add(s);
      }
    }
  }
}
const sentences = [...kept].sort();
writeFileSync(join(here, 'sentences.txt'), sentences.join('\n') + '\n');
console.log(`${lines.length} dialogues, ${seen} sentence candidates, ${droppedByBlocklist} dropped by the blocklist, ` +
  `${sentences.length} unique sentences kept (${sentences.reduce((a, s) => a + s.length + 1, 0)} bytes)`);
