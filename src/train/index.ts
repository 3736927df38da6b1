// Public surface of the training layer: the loop, the step functions, loaders, reference providers,
// checkpoints and the config-driven run used by `prefkit train`.
export type {
  LoopState, Loader, LoaderPosition, MetricLine, ReferenceProvider, RowKeys, StepContext, StepFn, StepResult, TrainHooks,
} from './types.js';
export { train, type TrainOptions, type TrainResult } from './loop.js';
export { createLoader, sequentialBatches, type LoaderOptions } from './loader.js';
export { TrainingDivergedError } from './diverged.js';
export { sftStep, type SftBatch } from './steps/sft-step.js';
export { preferenceStep, type PairStepBatch } from './steps/preference-step.js';
export { rewardStep } from './steps/reward-step.js';
export { unpairedStep, type UnpairedStepBatch } from './steps/unpaired-step.js';
export { listwiseStep, type ListStepBatch } from './steps/listwise-step.js';
export { checkStepInputs, missingInputs, STEP_INPUTS, type StepKind } from './steps/step-inputs.js';
export { addScoreHead, completionLogprobs, labelMask, rewardScores } from './steps/forward.js';
export { cloneFrozen, frozenReference, loraBaseReference, scoreRows } from './reference/live-reference.js';
export { precomputeReference, precomputedReference, type RefCacheOptions, type RefCacheReport } from './reference/ref-cache.js';
export { modelFingerprint } from './reference/fingerprint.js';
export { pairKeys, rowsFingerprint, slotKeys, type RowSource } from './reference/row-source.js';
export { mixIntoReference } from './reference/ref-sync.js';
export { writeCheckpoint, writeFolderAtomic, type CheckpointFiles } from './checkpoint/write-checkpoint.js';
export { listCheckpoints, removeStaleTemps, restoreAdapters, restoreFullModel, restoreOptimizer } from './checkpoint/read-checkpoint.js';
export { runTraining, type RunOptions, type RunSummary } from './run/run-training.js';
export { readMetricLines, RUN_FILES } from './run/run-folder.js';
export { baseModel, initConfig, loadTokenizerFor, prepareTrainable, saveTrained, type ModelSetup } from './run/model-setup.js';
export { dpoMethod, ktoMethod, listMethod, rmMethod, sftMethod, type Method } from './run/method-setup.js';
export { loadLists, loadPairs, loadSft, loadUnpaired, type DataSetup, type TokenizedList } from './run/data-setup.js';
export { evaluateMethod } from './run/evaluate.js';
