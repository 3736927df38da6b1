// YAML file + `--key value` overrides -> one strict, fully resolved config per command. Unknown keys are
// errors listing the valid ones (with a "did you mean"); wrong types name the key and where it came from;
// loss options are checked by the loss registry; the result has every default filled in.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type * as z from 'zod';
import { getLoss, resolveLossConfig, type LossError, type ResolvedLossConfig } from '../losses/index.js';
import {
  COMMAND_LOSS_KINDS, lossesFor, lossOptionKeys, SCHEMAS, TRAIN_COMMANDS,
  type DpoConfig, type KtoConfig, type RmConfig, type SftConfig, type TrainCommand,
} from './command-schemas.js';
import { closestKey, ConfigError } from './config-error.js';
import { mergeConfig, parseOverrides } from './overrides.js';

export type ResolvedTrainConfig =
  | { command: 'sft'; config: SftConfig; loss: null; json: Record<string, unknown> }
  | { command: 'dpo'; config: DpoConfig; loss: ResolvedLossConfig; json: Record<string, unknown> }
  | { command: 'kto'; config: KtoConfig; loss: ResolvedLossConfig; json: Record<string, unknown> }
  | { command: 'rm'; config: RmConfig; loss: ResolvedLossConfig; json: Record<string, unknown> };

export function isTrainCommand(name: string): name is TrainCommand {
  return (TRAIN_COMMANDS as readonly string[]).includes(name);
}

/** Reads a YAML (or JSON) config file into a mapping; syntax errors give file:line:column. */
export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file '${file}': ${(e as Error).message}`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0];
    throw new ConfigError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${file}: expected a mapping of keys to values (key: value lines), found ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

const describe = (v: unknown): string =>
  v === undefined ? 'nothing (the key is missing)' : `${JSON.stringify(v)} (${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v})`;

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let cur = obj;
  for (const p of path) cur = typeof cur === 'object' && cur !== null ? (cur as Record<PropertyKey, unknown>)[p] : undefined;
  return cur;
}

function formatIssues(command: TrainCommand, issues: z.core.$ZodIssue[], raw: unknown, origin: (key: string) => string): string {
  const schema = SCHEMAS[command];
  return issues.map((issue) => {
    const top = String(issue.path[0] ?? '');
    if (issue.code === 'unrecognized_keys') {
      const nested = issue.path.length > 0;
      const valid = nested ? Object.keys((schema.shape.init.unwrap().unwrap() as z.ZodObject).shape) : Object.keys(schema.shape);
      return issue.keys.map((k) => {
        const near = closestKey(k, valid);
        const name = nested ? `${issue.path.join('.')}.${k}` : k;
        const elsewhere = nested ? [] : TRAIN_COMMANDS.filter((c) => c !== command && k in SCHEMAS[c].shape);
        return `unknown key '${name}' (${origin(nested ? top : k)}) for \`prefkit train ${command}\`` +
          `${elsewhere.length ? ` (a key of ${elsewhere.map((c) => `\`prefkit train ${c}\``).join(', ')})` : ''}` +
          `${near ? `; did you mean '${near}'?` : ''}\n  valid keys: ${valid.join(', ')}`;
      }).join('\n');
    }
    const key = issue.path.join('.');
    const got = valueAt(raw, issue.path);
    const what = issue.message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
    return got === undefined && issue.code === 'invalid_type'
      ? `missing required key '${key}' for \`prefkit train ${command}\` (${what})`
      : `key '${key}' (${origin(top)}): ${what}; got ${describe(got)}`;
  }).join('\n');
}

/** Does the loss (or the base loss it wraps) need reference log-probs? */
function needsReference(loss: ResolvedLossConfig): boolean {
  return loss.names.some((name, k) => {
    const spec = getLoss(name);
    const base = spec.baseLossOption ? loss.options[k][spec.baseLossOption] : null;
    return spec.needsReference || (typeof base === 'string' && getLoss(base).needsReference);
  });
}

function resolveLoss(command: TrainCommand, cfg: Record<string, unknown>, given: Record<string, unknown>): ResolvedLossConfig {
  const names = typeof cfg.loss_type === 'string' ? [cfg.loss_type] : (cfg.loss_type as string[]);
  const valid = lossesFor(command);
  for (const n of names) {
    if (!valid.includes(n)) {
      let kind = '';
      try {
        kind = ` is a${/^[aeiou]/.test(getLoss(n).inputs) ? 'n' : ''} ${getLoss(n).inputs} loss;`;
      } catch {
        kind = ' is not a registered loss;';
      }
      throw new ConfigError(`key 'loss_type': '${n}'${kind} \`prefkit train ${command}\` trains with one of: ${valid.join(', ')}`);
    }
  }
  const options: Record<string, unknown> = {};
  const optionKeys = new Set(lossOptionKeys(command));
  for (const [k, v] of Object.entries(given)) if (optionKeys.has(k)) options[k] = v;
  try {
    return resolveLossConfig({ ...options, loss_type: names, loss_weights: cfg.loss_weights as number[] | null,
      use_weighting: cfg.use_weighting as boolean, ld_alpha: cfg.ld_alpha as number | null });
  } catch (e) {
    const le = e as LossError;
    throw new ConfigError(`loss options: ${le.message}`);
  }
}

/** Validates raw values for a command; `origins` says where each top-level key came from. */
export function resolveTrainConfig(command: TrainCommand, raw: Record<string, unknown>, origins: Record<string, string> = {}): ResolvedTrainConfig {
  const origin = (k: string) => origins[k] ?? 'config';
  const parsed = SCHEMAS[command].safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatIssues(command, parsed.error.issues, raw, origin));
  const cfg = { ...parsed.data } as Record<string, unknown>;
  if ((cfg.model_name_or_path === null) === (cfg.init === null)) {
    throw new ConfigError(`give exactly one of model_name_or_path (a model folder) or init (a model from scratch); got ${cfg.init === null ? 'neither' : 'both'}`);
  }
  const init = cfg.init as SftConfig['init'];
  if (init) {
    if (cfg.tokenizer === null) throw new ConfigError("key 'init' needs key 'tokenizer': 'byte' or a folder with tokenizer.json (a new model has no tokenizer)");
    if (init.hidden_size % init.num_attention_heads !== 0) {
      throw new ConfigError(`key 'init.num_attention_heads' = ${init.num_attention_heads} must divide init.hidden_size = ${init.hidden_size}`);
    }
    const kv = init.num_key_value_heads ?? init.num_attention_heads;
    if (init.num_attention_heads % kv !== 0) throw new ConfigError(`key 'init.num_key_value_heads' = ${kv} must divide num_attention_heads = ${init.num_attention_heads}`);
  }
  if (command === 'sft') return { command, config: cfg as SftConfig, loss: null, json: { command, ...cfg } };
  const loss = resolveLoss(command, cfg, raw);
  // Loss options resolved with their defaults, flattened as TRL configs hold them.
  for (const opts of loss.options) Object.assign(cfg, opts);
  if (command === 'rm') return { command, config: cfg as RmConfig, loss, json: { command, ...cfg } };
  const needs = needsReference(loss);
  let mode = cfg.reference as string;
  if (mode === 'auto') mode = !needs ? 'none' : cfg.sync_ref_model ? 'frozen' : 'precomputed';
  if (needs && mode === 'none') throw new ConfigError(`key 'reference' = none, but loss_type [${loss.names.join(', ')}] needs reference log-probs; use auto, precomputed, frozen or lora_base`);
  if (mode === 'lora_base' && !cfg.use_peft) throw new ConfigError("key 'reference' = lora_base needs use_peft: true (the reference is the base model with the adapters off)");
  if (cfg.sync_ref_model && cfg.use_peft) throw new ConfigError("key 'sync_ref_model' (TR-DPO) is for full fine-tuning; with use_peft the reference is the base model (reference: lora_base)");
  if (cfg.sync_ref_model && mode !== 'frozen') throw new ConfigError(`key 'sync_ref_model' (TR-DPO) updates the reference, so it needs reference: frozen, got ${mode}`);
  cfg.reference = mode;
  if (COMMAND_LOSS_KINDS[command].length === 0) throw new ConfigError(`internal: no losses for ${command}`);
  return command === 'dpo'
    ? { command, config: cfg as DpoConfig, loss, json: { command, ...cfg } }
    : { command, config: cfg as KtoConfig, loss, json: { command, ...cfg } };
}

/** `--config FILE` (optional) plus `--key value` overrides -> the resolved config. */
export function loadTrainConfig(command: string, opts: { file?: string | null; overrides?: readonly string[] } = {}): ResolvedTrainConfig {
  if (!isTrainCommand(command)) throw new ConfigError(`unknown training command '${command}'; expected one of: ${TRAIN_COMMANDS.join(', ')}`);
  const fromFile = opts.file ? readConfigFile(opts.file) : {};
  const over = parseOverrides(opts.overrides ?? []);
  const origins: Record<string, string> = {};
  for (const k of Object.keys(fromFile)) origins[k] = opts.file!;
  Object.assign(origins, over.origins);
  return resolveTrainConfig(command, mergeConfig(fromFile, over.values), origins);
}
