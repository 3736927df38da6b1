// The typed config of `prefkit demo` (one config per command; defaults live here, in code). Three
// presets share one schema: 'quick' (under 2 minutes on 2 cores), 'default' (under 10 minutes) and
// 'full' (larger model, more data, more steps). A user config (YAML/JSON object) overrides a preset key
// by key; unknown keys and wrong types are errors that name the key.
import * as z from 'zod';

const posInt = () => z.number().int().positive();
const PAIRINGS = ['best-vs-worst', 'best-vs-rest', 'curry'] as const;
const LOSSES = ['sigmoid', 'ipo', 'robust'] as const;

/** One preference-optimisation run: a loss of the registry with its TRL options. */
export const methodSchema = z.strictObject({
  name: z.string().min(1).describe("label in tables and plots, e.g. 'DPO'"),
  loss_type: z.enum(LOSSES).describe("registry loss: 'sigmoid' (DPO; label_smoothing > 0 = cDPO), 'ipo', 'robust' (rDPO)"),
  beta: z.number().positive().describe('beta of the loss (IPO: tau)'),
  label_smoothing: z.number().min(0).lt(0.5).default(0).describe('cDPO smoothing / rDPO assumed flip rate'),
});
export type DemoMethod = z.infer<typeof methodSchema>;

export const demoConfigSchema = z.strictObject({
  seed: z.number().int().min(0).default(1).describe('seeds the split, model init, data order, sampling and label flips'),
  corpus: z.strictObject({
    file: z.string().nullable().default(null).describe('one sentence a line (null = the bundled data/demo-corpus/sentences.txt)'),
    heldout_fraction: z.number().gt(0).lt(1).default(0.2).describe('share of sentences held out of SFT; prompts come from their openings'),
    opening_words: posInt().default(3).describe('words of a held-out sentence that form its opening (the prompt)'),
  }).prefault({}),
  model: z.strictObject({
    hidden_size: posInt().default(96),
    num_hidden_layers: posInt().default(3),
    num_attention_heads: posInt().default(4),
    intermediate_size: posInt().default(256),
  }).prefault({}),
  sft: z.strictObject({
    steps: posInt().default(700).describe('optimizer steps of the reference SFT'),
    batch_size: posInt().default(16).describe('packed rows per step'),
    seq_len: posInt().default(128).describe('tokens per packed row'),
    learning_rate: z.number().positive().default(3e-3),
    warmup_steps: z.number().int().min(0).default(25),
  }).prefault({}),
  sampling: z.strictObject({
    pair_prompts: posInt().default(768).describe('held-out openings whose reference samples become training pairs'),
    eval_prompts: posInt().default(256).describe('other held-out openings for evaluation'),
    samples_per_prompt: z.number().int().min(2).default(8).describe('reference completions per opening (pairs are built from them)'),
    eval_samples_per_prompt: posInt().default(2).describe("each policy's own samples per evaluation opening"),
    max_new_tokens: posInt().default(64).describe('bytes a completion may have'),
    temperature: z.number().positive().default(1).describe('sampling temperature (1 = the model distribution, what sampled KL needs)'),
    batch_rows: posInt().default(256).describe('rows generated together'),
  }).prefault({}),
  pairs: z.strictObject({
    pairing: z.enum(PAIRINGS).default('best-vs-worst').describe('how pairs are made from the scored samples of one opening'),
    flip_fraction: z.number().min(0).lt(0.5).default(0.3).describe('share of training pairs whose labels are flipped in the noisy condition'),
  }).prefault({}),
  preference: z.strictObject({
    epochs: z.number().positive().default(2).describe('passes over the training pairs per method'),
    batch_size: posInt().default(16).describe('pairs per step'),
    learning_rate: z.number().positive().default(2e-4),
    warmup_steps: z.number().int().min(0).default(5),
    methods: z.array(methodSchema).min(1).default([
      { name: 'DPO', loss_type: 'sigmoid', beta: 0.05, label_smoothing: 0 },
      { name: 'DPO', loss_type: 'sigmoid', beta: 0.1, label_smoothing: 0 },
      { name: 'DPO', loss_type: 'sigmoid', beta: 0.5, label_smoothing: 0 },
      { name: 'IPO', loss_type: 'ipo', beta: 0.1, label_smoothing: 0 },
      { name: 'cDPO', loss_type: 'sigmoid', beta: 0.1, label_smoothing: 0.3 },
      { name: 'rDPO', loss_type: 'robust', beta: 0.1, label_smoothing: 0.3 },
    ]),
  }).prefault({}),
  eval: z.strictObject({
    bootstrap_resamples: posInt().default(1000).describe('resamples of the win-rate confidence interval'),
  }).prefault({}),
});

export type DemoConfig = z.infer<typeof demoConfigSchema>;
export type DemoPreset = 'quick' | 'default' | 'full';
export const DEMO_PRESETS: DemoPreset[] = ['quick', 'default', 'full'];

/** What each preset changes from the schema defaults ('default' is the schema itself). */
const PRESET_OVERRIDES: Record<DemoPreset, Record<string, unknown>> = {
  default: {},
  quick: {
    model: { hidden_size: 64, num_hidden_layers: 2, intermediate_size: 192 },
    sft: { steps: 400 },
    sampling: { pair_prompts: 320, eval_prompts: 128, samples_per_prompt: 6, max_new_tokens: 56 },
    preference: {
      epochs: 2,
      methods: [
        { name: 'DPO', loss_type: 'sigmoid', beta: 0.1 },
        { name: 'DPO', loss_type: 'sigmoid', beta: 0.5 },
        { name: 'IPO', loss_type: 'ipo', beta: 0.1 },
        { name: 'cDPO', loss_type: 'sigmoid', beta: 0.1, label_smoothing: 0.3 },
        { name: 'rDPO', loss_type: 'robust', beta: 0.1, label_smoothing: 0.3 },
      ],
    },
    eval: { bootstrap_resamples: 500 },
  },
  full: {
    model: { hidden_size: 128, num_hidden_layers: 4, intermediate_size: 352 },
    sft: { steps: 2000, learning_rate: 2e-3 },
    sampling: { pair_prompts: 1280, eval_prompts: 384, samples_per_prompt: 8, eval_samples_per_prompt: 4 },
    preference: {
      epochs: 3,
      methods: [
        { name: 'DPO', loss_type: 'sigmoid', beta: 0.02 },
        { name: 'DPO', loss_type: 'sigmoid', beta: 0.05 },
        { name: 'DPO', loss_type: 'sigmoid', beta: 0.1 },
        { name: 'DPO', loss_type: 'sigmoid', beta: 0.5 },
        { name: 'IPO', loss_type: 'ipo', beta: 0.1 },
        { name: 'cDPO', loss_type: 'sigmoid', beta: 0.1, label_smoothing: 0.3 },
        { name: 'rDPO', loss_type: 'robust', beta: 0.1, label_smoothing: 0.3 },
      ],
    },
  },
};

export class DemoConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoConfigError';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Nested merge: objects merge key by key, everything else (arrays included) replaces. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/**
 * The resolved config of a preset plus user overrides (e.g. parsed from --config FILE, or { seed }).
 * Errors name the key path, what was expected and what was received.
 */
export function resolveDemoConfig(preset: DemoPreset = 'default', overrides: Record<string, unknown> = {}): DemoConfig {
  if (!DEMO_PRESETS.includes(preset)) throw new DemoConfigError(`demo preset must be one of ${DEMO_PRESETS.join(', ')}, got '${preset}'`);
  const raw = merge(PRESET_OVERRIDES[preset], overrides);
  const parsed = demoConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new DemoConfigError(`invalid demo config: ${lines.join('; ')}`);
  }
  const cfg = parsed.data;
  const { hidden_size: h, num_attention_heads: heads } = cfg.model;
  if (h % heads !== 0 || (h / heads) % 2 !== 0) {
    throw new DemoConfigError(`model.hidden_size ${h} must split into num_attention_heads ${heads} heads of an even size (RoPE)`);
  }
  return cfg;
}

/** A short label of a method, unique within a run: 'DPO β=0.1', 'cDPO β=0.1 ε=0.3'. */
export function methodLabel(m: DemoMethod): string {
  return `${m.name} β=${m.beta}${m.label_smoothing > 0 ? ` ε=${m.label_smoothing}` : ''}`;
}
