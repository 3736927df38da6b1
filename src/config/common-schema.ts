// The keys every `prefkit train` command shares: model, data, optimisation, logging, checkpoints and
// LoRA. Names follow Hugging Face TrainingArguments / TRL where such a key exists, so configs carry over.
// Defaults live here, in code (house rule 4).
import * as z from 'zod';

const int = () => z.number().int();
const posInt = () => z.number().int().positive();

export const SCHEDULE_NAMES = ['constant', 'constant_with_warmup', 'linear', 'cosine'] as const;
export const DATA_SOURCES = ['auto', 'trl', 'hh-rlhf', 'finegrained-qa'] as const;

/** A model trained from scratch (random init), Llama-style or GPT-2. */
export const initSchema = z.strictObject({
  model_type: z.enum(['llama', 'qwen2', 'mistral', 'gpt2']).default('llama').describe('architecture'),
  hidden_size: posInt().describe('width H'),
  num_hidden_layers: posInt().describe('transformer layers'),
  num_attention_heads: posInt().describe('attention heads (must divide hidden_size)'),
  num_key_value_heads: posInt().nullable().default(null).describe('KV heads for GQA (null = num_attention_heads)'),
  intermediate_size: posInt().nullable().default(null).describe('MLP width (null = 4 * hidden_size for gpt2, else about 8/3 * hidden_size)'),
  max_position_embeddings: posInt().default(2048).describe('longest sequence'),
  tie_word_embeddings: z.boolean().default(true).describe('share the embedding and the lm head'),
  initializer_range: z.number().positive().default(0.02).describe('std of the normal init'),
});

export const commonShape = {
  model_name_or_path: z.string().nullable().default(null)
    .describe('Hugging Face model folder to start from (config.json + model.safetensors); or give init'),
  init: initSchema.nullable().default(null)
    .describe('a model trained from scratch: {hidden_size, num_hidden_layers, num_attention_heads, ...}'),
  tokenizer: z.string().nullable().default(null)
    .describe("'byte' (byte-level, 259 ids) or a folder with tokenizer.json; default: the model folder"),
  train_file: z.string().describe('training data: JSONL, JSON or Parquet (optionally gzipped) in TRL format, HH-RLHF or FineGrained QA'),
  eval_file: z.string().nullable().default(null).describe('held-out data for periodic evaluation'),
  eval_split: z.number().min(0).lt(1).default(0)
    .describe('share of train_file held out for evaluation when there is no eval_file (examples of one prompt stay together)'),
  data_source: z.enum(DATA_SOURCES).default('auto').describe('layout of the data files'),
  skip_bad_rows: z.boolean().default(false).describe('count, list and skip malformed rows instead of stopping at the first'),
  allow_empty: z.boolean().default(false).describe('accept empty completions (by default a row with one is a bad row)'),
  max_examples: posInt().nullable().default(null).describe('use only the first N examples of train_file (null = all)'),
  output_dir: z.string().describe('run folder: config.json, metrics.jsonl, checkpoints/, final/, summary.json'),
  seed: int().min(0).default(42).describe('seeds model init, data order, LoRA init and dropout'),
  num_train_epochs: z.number().positive().default(1).describe('passes over the training data (when max_steps is -1)'),
  max_steps: int().min(-1).default(-1).describe('optimizer steps to run; -1 = from num_train_epochs'),
  per_device_train_batch_size: posInt().default(8).describe('examples (pairs for dpo/rm) per micro-batch'),
  per_device_eval_batch_size: posInt().default(8).describe('examples per evaluation batch'),
  gradient_accumulation_steps: posInt().default(1).describe('micro-batches per optimizer step'),
  lr_scheduler_type: z.enum(SCHEDULE_NAMES).default('linear').describe('learning-rate schedule after warmup'),
  warmup_steps: int().min(0).default(0).describe('linear warmup steps (wins over warmup_ratio when > 0)'),
  warmup_ratio: z.number().min(0).lt(1).default(0).describe('warmup as a share of the total steps'),
  min_lr_ratio: z.number().min(0).max(1).default(0).describe('floor of linear / cosine decay, as a share of learning_rate'),
  weight_decay: z.number().min(0).default(0).describe('AdamW decoupled weight decay (never on norms and biases)'),
  adam_beta1: z.number().min(0).lt(1).default(0.9).describe('AdamW beta1'),
  adam_beta2: z.number().min(0).lt(1).default(0.999).describe('AdamW beta2'),
  adam_epsilon: z.number().positive().default(1e-8).describe('AdamW epsilon'),
  max_grad_norm: z.number().min(0).default(1).describe('clip the global gradient norm to this (0 = no clipping)'),
  logging_steps: posInt().default(10).describe('write a metrics line every N optimizer steps (averaged over them)'),
  eval_steps: posInt().nullable().default(null).describe('evaluate every N steps (null = only at the end, if there is eval data)'),
  save_steps: posInt().nullable().default(500).describe('checkpoint every N steps (null = only at the end and on Ctrl-C)'),
  save_total_limit: posInt().nullable().default(2).describe('keep the last K checkpoints (null = all)'),
  max_length: posInt().nullable().default(1024).describe('longest prompt + completion in tokens (null = no limit)'),
  max_prompt_length: posInt().nullable().default(null).describe('longest prompt in tokens (null = no limit)'),
  max_completion_length: posInt().nullable().default(null).describe('longest completion in tokens (null = no limit)'),
  truncation_mode: z.enum(['keep_start', 'keep_end']).default('keep_end')
    .describe('which end of an over-long prompt to keep (keep_end drops its start)'),
  use_peft: z.boolean().default(false).describe('train LoRA adapters instead of all weights'),
  lora_r: posInt().default(16).describe('LoRA rank'),
  lora_alpha: z.number().positive().default(32).describe('LoRA alpha (scale alpha / r)'),
  lora_dropout: z.number().min(0).lt(1).default(0.05).describe('LoRA dropout'),
  lora_target_modules: z.array(z.string()).nullable().default(null)
    .describe('HF module names to adapt (null = every linear: q_proj ... down_proj, or c_proj/c_fc for gpt2)'),
  resume_from_checkpoint: z.union([z.boolean(), z.string()]).default(false)
    .describe('true: continue from the latest checkpoint in output_dir; or a checkpoint folder'),
};

/** Keys of the reference model (dpo and kto). */
export const referenceShape = {
  reference: z.enum(['auto', 'precomputed', 'frozen', 'lora_base', 'none']).default('auto')
    .describe('auto: precomputed when the loss needs a reference (else none); frozen: a copy kept in memory; lora_base: the base with adapters off'),
  ref_model: z.string().nullable().default(null).describe('a different model folder as the reference (default: the starting model)'),
  ref_cache_dir: z.string().nullable().default(null)
    .describe('where precomputed reference log-probs are cached (default: $PREFKIT_CACHE or ~/.cache/prefkit/ref-logps)'),
  sync_ref_model: z.boolean().default(false).describe('TR-DPO: mix the policy into the reference every ref_model_sync_steps (needs reference: frozen)'),
  ref_model_mixup_alpha: z.number().min(0).max(1).default(0.6).describe('TR-DPO: ref = alpha * policy + (1 - alpha) * ref'),
  ref_model_sync_steps: posInt().default(512).describe('TR-DPO: steps between reference syncs'),
};

/** Keys of the loss combination (dpo, kto, rm); every other loss option is checked against the registry. */
export const lossShape = (defaultLoss: string) => ({
  loss_type: z.union([z.string(), z.array(z.string()).min(1)]).default(defaultLoss)
    .describe('a registered loss name or a list (TRL loss_type); see `prefkit loss list`'),
  loss_weights: z.array(z.number()).nullable().default(null).describe('one weight per loss_type entry (default all 1)'),
  use_weighting: z.boolean().default(false).describe('WPO weighting'),
  ld_alpha: z.number().min(0).max(1).nullable().default(null).describe('LD-DPO length desensitisation (null = off)'),
});
