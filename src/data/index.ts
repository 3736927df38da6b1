// Preference data: schemas, validation, reading, conversion, tokenization, collation, sampling.
export type {
  ChatMessage,
  ExampleKind,
  LocatedExample,
  PairedExample,
  PreferenceExample,
  RankedExample,
  RowProblem,
  Style,
  Text,
  UnpairedExample,
} from './example-types.js';
export { isConversational, styleOf } from './example-types.js';
export { detectKind, validateRecord } from './validate-record.js';
export type { ValidateOptions, Validated } from './validate-record.js';
export { isEmptyText, textsEqual } from './validate-text.js';
export { extractPrompt, extractPromptChecked, splitCommonPrefix } from './implicit-prompt.js';
export {
  DataValidationError,
  ExampleReader,
  expectKind,
  formatProblem,
  loadExamples,
  readExamples,
} from './read-examples.js';
export type { ReadOptions, ReadReport } from './read-examples.js';
export { detectSource, fineGrainedPrompt, isSourceName, parseHhDialogue, renderHhDialogue, SOURCES } from './sources/index.js';
export type { SourceName, SourceOptions } from './sources/index.js';
export { buildPairs, orderCurriculum, PAIRINGS, pairsOf, scoresOf } from './pair-construction.js';
export type { CurriculumOrder, CurriculumPair, Pairing, PairingStats, PairOptions } from './pair-construction.js';
export { ChatTemplateMissingError, renderExample } from './render-example.js';
export type { RenderedExample, TemplateMismatch } from './render-example.js';
export {
  describeTokenizeReport,
  newTokenizeReport,
  tokenizePair,
  tokenizeUnpaired,
  truncate,
} from './tokenize-example.js';
export type {
  DroppedExample,
  TokenizedPair,
  TokenizedUnpaired,
  TokenizeOptions,
  TokenizeReport,
  TruncationMode,
} from './tokenize-example.js';
export { collatePairs, collateUnpaired } from './collate.js';
export type { CollateOptions, PairBatch, SequenceBatch, UnpairedBatch } from './collate.js';
export { batchIndices, createRng, shuffledIndices, splitTrainEval } from './sampling.js';
export type { Rng, SplitOptions } from './sampling.js';
export { exampleToRecord } from './example-to-record.js';
export { histogramLines, LengthStats } from './length-stats.js';
export type { LengthSummary } from './length-stats.js';
export { inspectFile, validateFile } from './inspect-file.js';
export type { InspectOptions, InspectReport } from './inspect-file.js';
export { CONVERT_TARGETS, convertFile } from './convert-file.js';
export type { ConvertOptions, ConvertReport, ConvertTarget } from './convert-file.js';
export { formatConvertReport, formatInspectReport, formatProblems } from './format-report.js';
