// Strict training configs: unknown keys list the valid ones, wrong types name the key and its origin,
// loss options are checked by the registry, defaults are filled in, --help comes from the schema.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError, loadTrainConfig, lossesFor, parseOverrides, resolveTrainConfig, SCHEMAS, trainHelp, TRAIN_COMMANDS,
} from '../src/config/index.js';
import { trainCommands } from '../src/cli/commands/train.js';
import { usageText } from '../src/cli/command.js';
import { removeDir, tempDir, tinyRaw } from './fixtures/train/train-fixtures.js';

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${(e as Error).name}: ${(e as Error).message}`);
    return e.message;
  }
  assert.fail('expected a ConfigError');
};

describe('training configs', () => {
  test('defaults are filled in and the command is recorded', () => {
    const r = resolveTrainConfig('dpo', tinyRaw('dpo', '/tmp/x'));
    assert.equal(r.json.command, 'dpo');
    assert.equal(r.json.lr_scheduler_type, 'linear');
    assert.equal(r.json.gradient_accumulation_steps, 1);
    assert.equal(r.json.loss_type, 'sigmoid');
    // The chosen loss's options with their defaults, flattened as TRL configs hold them.
    assert.equal(r.json.beta, 0.1);
    assert.equal(r.json.label_smoothing, 0);
    assert.equal(r.json.reference, 'precomputed');
    assert.deepEqual((r.json.init as Record<string, unknown>).max_position_embeddings, 2048);
  });

  test('an unknown key is an error listing the valid keys, with a did-you-mean', () => {
    const msg = errorOf(() => resolveTrainConfig('dpo', { ...tinyRaw('dpo', '/tmp/x'), lerning_rate: 1 }, { lerning_rate: 'run.yaml' }));
    assert.match(msg, /unknown key 'lerning_rate' \(run\.yaml\)/);
    assert.match(msg, /did you mean 'learning_rate'/);
    assert.match(msg, /valid keys: .*per_device_train_batch_size/);
    const nested = errorOf(() => resolveTrainConfig('sft', tinyRaw('sft', '/tmp/x', { init: { hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, layers: 3 } })));
    assert.match(nested, /unknown key 'init\.layers'/);
    assert.match(nested, /valid keys: .*num_hidden_layers/);
  });

  test('a key of another command is unknown: rm has no reference keys, dpo no KTO weights', () => {
    assert.match(errorOf(() => resolveTrainConfig('rm', tinyRaw('dpo', '/tmp/x'))), /unknown key 'ref_cache_dir'.*a key of `prefkit train dpo`/);
    assert.match(errorOf(() => resolveTrainConfig('dpo', { ...tinyRaw('dpo', '/tmp/x'), desirable_weight: 2 })), /unknown key 'desirable_weight'.*a key of `prefkit train kto`/);
  });

  test('wrong types and values name the key, where it came from and what was received', () => {
    const msg = errorOf(() => loadTrainConfig('dpo', { overrides: ['--train_file', 'a.jsonl', '--output_dir', 'o', '--model_name_or_path', 'm', '--learning_rate', 'fast'] }));
    assert.match(msg, /key 'learning_rate' \(--learning_rate\): expected number.*got "fast" \(string\)/);
    assert.match(errorOf(() => resolveTrainConfig('sft', tinyRaw('sft', 'o', { lr_scheduler_type: 'step' }))), /key 'lr_scheduler_type'.*"linear"/);
    assert.match(errorOf(() => resolveTrainConfig('sft', tinyRaw('sft', 'o', { per_device_train_batch_size: 0 }))), /key 'per_device_train_batch_size'.*got 0/);
    assert.match(errorOf(() => resolveTrainConfig('sft', { output_dir: 'o', model_name_or_path: 'm' })), /missing required key 'train_file'/);
  });

  test('model source, init and tokenizer are checked together', () => {
    assert.match(errorOf(() => resolveTrainConfig('sft', tinyRaw('sft', 'o', { model_name_or_path: 'm' }))), /exactly one of model_name_or_path.*both/);
    assert.match(errorOf(() => resolveTrainConfig('sft', tinyRaw('sft', 'o', { tokenizer: null }))), /'init' needs key 'tokenizer'/);
    assert.match(errorOf(() => resolveTrainConfig('sft', tinyRaw('sft', 'o', { init: { hidden_size: 30, num_hidden_layers: 1, num_attention_heads: 4 } }))), /must divide/);
  });

  test('loss options are checked by the loss registry', () => {
    assert.match(errorOf(() => resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { loss_type: 'kto' }))), /'kto' is an unpaired loss; `prefkit train dpo` trains with one of: sigmoid/);
    assert.match(errorOf(() => resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { loss_type: 'nope' }))), /'nope' is not a registered loss/);
    assert.match(errorOf(() => resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { beta: -1 }))), /beta/);
    assert.match(errorOf(() => resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { simpo_gamma: 1 }))), /unknown option 'simpo_gamma' for loss_type \[sigmoid\]/);
    assert.match(errorOf(() => resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { loss_type: ['sigmoid', 'sft'], loss_weights: [1] }))), /loss_weights/);
    const combo = resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { loss_type: ['sigmoid', 'sft'], loss_weights: [1, 0.5], beta: 0.3 }));
    assert.deepEqual(combo.loss?.names, ['sigmoid', 'sft']);
    assert.equal(combo.json.beta, 0.3);
    assert.equal(resolveTrainConfig('rm', tinyRaw('rm', 'o', { center_rewards_coefficient: 0.01 })).json.center_rewards_coefficient, 0.01);
  });

  test('the reference mode follows the loss and the options', () => {
    assert.equal(resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { loss_type: 'simpo' })).json.reference, 'none');
    assert.equal(resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { sync_ref_model: true })).json.reference, 'frozen');
    assert.equal(resolveTrainConfig('kto', tinyRaw('kto', 'o')).json.reference, 'precomputed');
    assert.match(errorOf(() => resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { reference: 'none' }))), /needs reference log-probs/);
    assert.match(errorOf(() => resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { reference: 'lora_base' }))), /needs use_peft: true/);
    assert.match(errorOf(() => resolveTrainConfig('dpo', tinyRaw('dpo', 'o', { reference: 'precomputed', sync_ref_model: true }))), /needs reference: frozen/);
  });

  test('command-line overrides: YAML scalars, lists, nested keys, dashes, bare flags', () => {
    const o = parseOverrides(['--learning-rate', '1e-3', '--use_peft', '--loss_type', '[sigmoid, sft]', '--init.hidden_size', '64', '--eval_file=null', '--tokenizer', 'byte']);
    assert.deepEqual(o.values, { learning_rate: 1e-3, use_peft: true, loss_type: ['sigmoid', 'sft'], init: { hidden_size: 64 }, eval_file: null, tokenizer: 'byte' });
    assert.equal(o.origins.learning_rate, '--learning-rate');
    assert.throws(() => parseOverrides(['oops']), /unexpected argument 'oops'/);
  });

  test('a YAML file merges with overrides (the command line wins); syntax errors give file:line', () => {
    const dir = tempDir('config');
    try {
      const file = join(dir, 'run.yaml');
      writeFileSync(file, `init:\n  hidden_size: 32\n  num_hidden_layers: 2\n  num_attention_heads: 4\ntokenizer: byte\ntrain_file: a.jsonl\noutput_dir: out\nlearning_rate: 1.0e-4\n`);
      const r = loadTrainConfig('sft', { file, overrides: ['--learning_rate', '5e-4', '--init.num_hidden_layers', '3'] });
      assert.equal(r.config.learning_rate, 5e-4);
      assert.equal(r.config.init?.num_hidden_layers, 3);
      assert.equal(r.config.init?.hidden_size, 32);
      writeFileSync(file, 'learning_rate: 1\n  bad: [\n');
      assert.match(errorOf(() => loadTrainConfig('sft', { file })), /run\.yaml:\d+:\d+: invalid YAML/);
      writeFileSync(file, `${'train_file: a.jsonl\noutput_dir: o\nmodel_name_or_path: m\n'}warmup_ratio: lots\n`);
      assert.match(errorOf(() => loadTrainConfig('sft', { file })), /key 'warmup_ratio' \(.*run\.yaml\)/);
    } finally {
      removeDir(dir);
    }
  });

  test('--help is generated from the schema and the loss registry', async () => {
    for (const command of TRAIN_COMMANDS) {
      const help = trainHelp(command);
      for (const key of Object.keys(SCHEMAS[command].shape)) {
        if (help.includes(`  ${key}  (`)) continue;
        assert.ok(help.includes(key), `help of ${command} does not mention ${key}`);
      }
      for (const loss of lossesFor(command)) assert.ok(help.includes(`  ${loss}`), `help of ${command} does not list loss ${loss}`);
    }
    assert.match(trainHelp('kto'), /kto: KTO.*\n\s+options: beta=0\.1, desirable_weight=1, undesirable_weight=1/);
    const cmd = trainCommands.find((c) => c.name === 'train dpo');
    assert.ok(cmd && (await usageText(cmd)).startsWith('usage: prefkit train dpo --config FILE.yaml'));
  });
});
