// The library: one namespace per layer (see DESIGN.md for the map).
export * as tensor from './tensor/index.js';
export * as losses from './losses/index.js';
export * as data from './data/index.js';
export * as tokenizers from './tokenizers/index.js';
export * as train from './train/index.js';
export * as evaluation from './eval/index.js';
export * as safetensors from './io/safetensors/index.js';
export * as checkpoints from './io/checkpoint/index.js';
export * as records from './io/records/index.js';
export { loadModel, saveModel } from './models/load-save.js';
export { initDecoder, lmHeadWeight, type DecoderModel } from './models/decoder-params.js';
export { decoderHidden, decoderLogits } from './models/decoder.js';
export { generate } from './models/generate.js';
export { attachLora, loadLoraAdapter, mergeLora, saveLoraAdapter, setLoraEnabled } from './models/lora-peft.js';
export { MODEL_TYPES } from './models/registry.js';
export { sequenceLogprobs } from './logprobs/sequence-logprobs.js';
export { namedParams, countParams, zeroGrad } from './nn/params.js';
