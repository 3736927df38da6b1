// Public surface of the loss layer: the registry, the combination entry point, the golden checks,
// the helpers that build loss inputs from model outputs, and the types.
export * from './types.js';
export { LossError } from './errors.js';
export { INPUT_DOCS, type InputDoc } from './inputs.js';
export { LOSSES, LOSS_NAMES, OPTION_ALIASES, getLoss, isLossName, optionNames, resolveOptions, wrappableLosses, type LossName } from './registry.js';
export { computeLoss, resolveLossConfig, type LossConfig, type ResolvedLossConfig } from './combine.js';
export { describeLosses, COMBINATION_OPTIONS, type LossRow, type OptionRow } from './describe.js';
export { checkGolden, checkGoldenCase, parseGoldenFile, type GoldenCase, type GoldenCaseResult, type GoldenCheckOptions } from './golden-check.js';
export { F_DIVERGENCES, fScore } from './f-divergence.js';
export { initRunningMoments, updateRunningMoments, rewardShiftInput, type RunningMoments } from './bco.js';
export { updateLcpoEta } from './lcpo.js';
export { swapChosenRejected } from './swap.js';
export { wpoWeights, wpoTokenLogDenom } from './wpo.js';
export { applyLdAlpha } from './ld-dpo.js';
export { tokenKl, mapoMask } from './sparse-po-masks.js';
export { tpoStepWeights } from './tpo.js';
export { gpmScore } from './gpm.js';
export { preferenceStrength } from './adaptive-margin.js';
export { sampleInput, sampleInputs, inputNamesOf, DEFAULT_SIZES, type SampleSizes } from './sample-inputs.js';
