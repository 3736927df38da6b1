// Evaluation: pure metrics over per-example log-probs and rewards, no-grad model passes, the
// `prefkit eval` / `report` / `data filter-ches` pipelines and their self-contained HTML reports.
// Every metric's formula and paper is at the top of its file and in docs/evaluation.md.

// Pure metrics
export { hasRef, requireRef, chosenLogRatio, rejectedLogRatio, logRatioMargin } from './pair-logps.js';
export type { PairLogps, PairLogpsWithRef } from './pair-logps.js';
export { implicitRewardMetrics, implicitRewards } from './implicit-reward.js';
export type { ImplicitRewardMetrics } from './implicit-reward.js';
export {
  CHEN_BETA_GRID, DEFAULT_RATER_ALPHA, idealBonus, idealizedCorrect, idealizedOverBetaGrid, idealizedRankingAccuracy,
  rankingAccuracy, rankingCorrect, rankingFlips, referenceGap,
} from './ranking-accuracy.js';
export type { IdealizedOverGrid, RankingAccuracy, RankingFlips, Side } from './ranking-accuracy.js';
export { likelihoodDisplacement } from './likelihood-displacement.js';
export type { LikelihoodDisplacement } from './likelihood-displacement.js';
export { sampledKl } from './sampled-kl.js';
export type { SampledKl, SampleLogps } from './sampled-kl.js';
export { bootstrapCi } from './bootstrap.js';
export type { BootstrapOptions, ConfidenceInterval } from './bootstrap.js';
export { meanReward, rewardModelAccuracy, winRate } from './reward-metrics.js';
export type { MeanReward, RewardAccuracy, WinRate } from './reward-metrics.js';
export { chesFromStates, chesFromSums, selectByChes } from './ches.js';
export type { ChesFilterResult, ChesScore, ChesSelection } from './ches.js';
export { preferenceStrength, summarizeStrength } from './preference-strength.js';
export type { PairStrength, StrengthSummary } from './preference-strength.js';
export { ensembleNoiseRate, lcpoNoiseEm } from './noise-rate.js';
export type { EnsembleNoise, LcpoEm, LcpoEmOptions } from './noise-rate.js';
export { calibration, calibrationLoss } from './calibration.js';
export type { Calibration, RatedGroup } from './calibration.js';
export * as stats from './stats.js';
export { summarizeEvaluation } from './eval-summary.js';
export type { EvalMetrics, EvalSummary, PairRecord, RewardScores, SummaryInputs } from './eval-summary.js';

// Model passes and pipelines
export { modelPass } from './model-pass.js';
export type { PassOptions, PassResult, SequenceRow } from './model-pass.js';
export { resolveTokenizer } from './resolve-tokenizer.js';
export { loadEvalData, groupsFromPairs, tokenizeRows } from './eval-data.js';
export type { EvalDataset, EvalGroup, EvalPair, TextRow } from './eval-data.js';
export { sampleCompletions, scoreSamples } from './sample-pass.js';
export { runEvaluation } from './evaluate.js';
export type { EvalOptions, EvalResult, SampleRecord } from './evaluate.js';
export { filterByChes } from './filter-ches.js';
export type { FilterChesOptions, FilterChesReport } from './filter-ches.js';

// Reports
export { evalReportHtml, writeEvalReport, toJson } from './eval-report.js';
export { buildRunReport, writeRunReport } from './run-report.js';
export { readRunFolder, seriesOf, keysOf } from './run-folder.js';
export type { MetricRow, RunFolder } from './run-folder.js';
export { barChart, histogramChart, lineChart, scatterChart } from './svg-charts.js';
export { htmlPage } from './html-page.js';

// Model utilities used by `prefkit model|generate|score`
export { modelInfo } from './model-info.js';
export { generateText } from './generate-text.js';
export { scoreFile, scoreIds } from './score-file.js';
