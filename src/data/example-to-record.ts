// Example -> the record written to disk, with TRL's field names. Reading the record back with
// validateRecord gives the same example (the round trip the tests check).

import type { PreferenceExample } from './example-types.js';
import type { CurriculumPair } from './pair-construction.js';

export function exampleToRecord(ex: PreferenceExample | CurriculumPair): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  if (ex.id !== undefined) r.id = ex.id;
  if (ex.prompt !== undefined) r.prompt = ex.prompt;
  if (ex.kind === 'paired') {
    r.chosen = ex.chosen;
    r.rejected = ex.rejected;
    if (ex.margin !== undefined) r.margin = ex.margin;
    if (ex.preferenceProbability !== undefined) r.preference_probability = ex.preferenceProbability;
    if (ex.tie !== undefined) r.tie = ex.tie;
    const stage = (ex as CurriculumPair).curriculumStage;
    if (stage !== undefined) r.curriculum_stage = stage;
  } else if (ex.kind === 'unpaired') {
    r.completion = ex.completion;
    r.label = ex.label;
  } else {
    r.completions = ex.completions;
    if (ex.scores) r.scores = ex.scores;
    if (ex.ranks) r.ranks = ex.ranks;
  }
  if (ex.annotatorId !== undefined) r.annotator_id = ex.annotatorId;
  if (ex.extra) for (const [k, v] of Object.entries(ex.extra)) if (!(k in r)) r[k] = v;
  return r;
}
