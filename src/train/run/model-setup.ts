// Model and tokenizer from a config: a Hugging Face folder or a new model from `init` (seeded), the
// tokenizer ('byte', a folder, or the model folder), LoRA adapters and the reward head.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InitConfig, SftConfig } from '../../config/index.js';
import { ByteTokenizer, loadTokenizer, type Tokenizer } from '../../tokenizers/index.js';
import type { DecoderConfig } from '../../models/decoder-config.js';
import { initDecoder, type DecoderModel } from '../../models/decoder-params.js';
import { loadModel, saveModel } from '../../models/load-save.js';
import { attachLora, saveLoraAdapter } from '../../models/lora-peft.js';
import { readSafetensors, writeSafetensors, type TensorToWrite } from '../../io/safetensors/index.js';
import { addScoreHead } from '../steps/forward.js';

/** Marks a saved model folder whose tokenizer is prefkit's byte tokenizer (no tokenizer.json exists for it). */
export const BYTE_TOKENIZER_MARKER = 'prefkit_tokenizer.json';

type ModelKeys = Pick<SftConfig, 'model_name_or_path' | 'init' | 'tokenizer' | 'seed' | 'use_peft' | 'lora_r' | 'lora_alpha' | 'lora_dropout' | 'lora_target_modules'>;

export function loadTokenizerFor(spec: string | null, modelDir: string | null): Tokenizer {
  const source = spec ?? modelDir;
  if (source === null) throw new Error('no tokenizer: set tokenizer to \'byte\' or a folder with tokenizer.json');
  if (source === 'byte') return new ByteTokenizer();
  if (!existsSync(join(source, 'tokenizer.json')) && existsSync(join(source, BYTE_TOKENIZER_MARKER))) return new ByteTokenizer();
  return loadTokenizer(source);
}

/** DecoderConfig of a model trained from scratch with this tokenizer. */
export function initConfig(init: InitConfig, tok: Tokenizer): DecoderConfig {
  const H = init.hidden_size;
  const gpt2 = init.model_type === 'gpt2';
  return {
    modelType: init.model_type, vocabSize: tok.vocabSize, hidden: H, layers: init.num_hidden_layers,
    heads: init.num_attention_heads, kvHeads: gpt2 ? init.num_attention_heads : init.num_key_value_heads ?? init.num_attention_heads,
    headDim: H / init.num_attention_heads,
    intermediate: init.intermediate_size ?? (gpt2 ? 4 * H : Math.ceil((8 * H) / 3 / 8) * 8),
    norm: gpt2 ? 'layer' : 'rms', normEps: gpt2 ? 1e-5 : 1e-6, positions: gpt2 ? 'learned' : 'rope', ropeTheta: 10000,
    ropeScaling: null, maxPositions: init.max_position_embeddings, mlp: gpt2 ? 'plain' : 'gated', activation: gpt2 ? 'gelu_tanh' : 'silu',
    qkvBias: gpt2 || init.model_type === 'qwen2', oBias: gpt2, mlpBias: gpt2, tieEmbeddings: init.tie_word_embeddings,
    bosTokenId: tok.bosId ?? null, eosTokenId: tok.eosId ?? null, padTokenId: tok.padId ?? null,
  };
}

export interface ModelSetup {
  model: DecoderModel;
  tokenizer: Tokenizer;
  /** Folder the model came from (tokenizer files are copied from it on save), or null for init. */
  sourceDir: string | null;
  lora: boolean;
}

/** The model as it starts (before LoRA and score head): loaded, or initialised from the seed. */
export function baseModel(cfg: ModelKeys): { model: DecoderModel; tokenizer: Tokenizer; sourceDir: string | null } {
  const tokenizer = loadTokenizerFor(cfg.tokenizer, cfg.model_name_or_path);
  if (cfg.init) {
    return { model: initDecoder(initConfig(cfg.init, tokenizer), cfg.seed, cfg.init.initializer_range), tokenizer, sourceDir: null };
  }
  const model = loadModel(cfg.model_name_or_path!);
  if (tokenizer.vocabSize > model.config.vocabSize) {
    throw new Error(`tokenizer has ${tokenizer.vocabSize} ids but the model's embedding has ${model.config.vocabSize} rows`);
  }
  return { model, tokenizer, sourceDir: cfg.model_name_or_path };
}

const DEFAULT_TARGETS: Record<string, string[]> = {
  gpt2: ['c_proj', 'c_fc'],
  llama: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
};

/** Attaches LoRA (when use_peft) and a reward head (when asked and missing). */
export function prepareTrainable(m: DecoderModel, cfg: ModelKeys, opts: { scoreHead?: boolean } = {}): void {
  if (opts.scoreHead && !m.params.score) addScoreHead(m, cfg.seed + 1);
  if (cfg.use_peft) {
    const targets = cfg.lora_target_modules ?? DEFAULT_TARGETS[m.config.modelType] ?? DEFAULT_TARGETS.llama;
    attachLora(m, { rank: cfg.lora_r, alpha: cfg.lora_alpha, dropout: cfg.lora_dropout, targetModules: targets, seed: cfg.seed });
    // A reward head stays trainable with LoRA (PEFT's modules_to_save = ["score"]).
    if (m.params.score) m.params.score.requiresGrad = true;
  }
}

/** PEFT's name for a trained score head saved with the adapter (modules_to_save = ["score"]). */
export const PEFT_SCORE_NAME = 'base_model.model.score.weight';

/** Saves the model (HF layout) or its adapter (PEFT layout) with the tokenizer files. */
export function saveTrained(setup: ModelSetup, dir: string): void {
  if (setup.lora) {
    saveLoraAdapter(setup.model, dir, setup.sourceDir ?? '');
    if (setup.model.params.score) addScoreToAdapter(setup.model, dir);
  } else {
    saveModel(setup.model, dir, setup.sourceDir ? { copyTokenizerFrom: setup.sourceDir } : {});
  }
  if (setup.tokenizer instanceof ByteTokenizer) writeFileSync(join(dir, BYTE_TOKENIZER_MARKER), JSON.stringify({ type: 'byte', vocab_size: 259 }) + '\n');
}

/** A reward model trained with LoRA: the score head travels in the adapter, as PEFT's SEQ_CLS + modules_to_save. */
function addScoreToAdapter(model: DecoderModel, dir: string): void {
  const file = join(dir, 'adapter_model.safetensors');
  const { tensors } = readSafetensors(file);
  const out: Record<string, TensorToWrite> = {};
  for (const [k, t] of Object.entries(tensors)) out[k] = { dtype: 'F32', shape: t.shape, data: t.data };
  const s = model.params.score!;
  out[PEFT_SCORE_NAME] = { dtype: 'F32', shape: [...s.shape], data: s.data as Float32Array };
  writeSafetensors(file, out);
  const cfgFile = join(dir, 'adapter_config.json');
  const cfg = JSON.parse(readFileSync(cfgFile, 'utf8')) as Record<string, unknown>;
  writeFileSync(cfgFile, JSON.stringify({ ...cfg, task_type: 'SEQ_CLS', modules_to_save: ['score'] }, null, 2) + '\n');
}
