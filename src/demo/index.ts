// Public surface of the demo layer: the controlled-sentiment experiment behind `prefkit demo`, as
// library calls (see docs/demo.md).
export { DEMO_PRESETS, DemoConfigError, demoConfigSchema, methodLabel, resolveDemoConfig, type DemoConfig, type DemoMethod, type DemoPreset } from './demo-config.js';
export { bundledCorpusFile, loadDemoCorpus, promptSets, splitOpening, type DemoCorpus, type Opening } from './corpus.js';
export { LEXICON_REWARD_DOC, lexiconMatches, lexiconReward, lexiconWords } from './lexicon-reward.js';
export { demoModelConfig, packCorpus, trainReference, type ReferenceResult } from './reference-sft.js';
export { mixSeed, sampleCompletions, type Completion, type SampleOptions } from './sample-completions.js';
export { buildDemoPairs, flipLabels, pairRecord, rankedExamples, scoreCompletions, tokenizeDemoPair, writeRecords, type DemoPair, type PairStats } from './preference-data.js';
export { methodLossConfig, preferenceSteps, referenceTable, rowLogps, trainableCopy, trainPolicy, type PolicyRun } from './policy-training.js';
export { evalContext, evaluatePolicy, SEED_STREAMS, type EvalContext, type PolicyMetrics } from './policy-eval.js';
export { judgeClaims } from './claims.js';
export { resultsTable, summaryText } from './summary-text.js';
export { demoReportHtml } from './demo-report.js';
export { createProgress, silentProgress, type DemoProgress, type StageBar } from './progress.js';
export { runDemo, type RunDemoOptions } from './run-demo.js';
export type { Claim, DemoResults, DemoRun } from './results.js';
