// End to end on a tiny byte-level model (the "done"): SFT then DPO on the fixture pairs — DPO
// ranks the training pairs right (> 0.9) and the margin grows —; a reward model ranks held-out pairs
// better than chance; KTO, listwise and LoRA runs complete; the run folder has the documented layout.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as T from '../src/tensor/index.js';
import { collatePairs, loadExamples, tokenizePair, type PairedExample } from '../src/data/index.js';
import { loadModel } from '../src/models/load-save.js';
import { ByteTokenizer } from '../src/tokenizers/index.js';
import { readMetricLines, rewardScores, runTraining, type MetricLine } from '../src/train/index.js';
import { PAIRS_HELDOUT, PAIRS_TRAIN, RANKED_TRAIN, removeDir, sameLines, tempDir, tinyConfig, withoutTiming } from './fixtures/train/train-fixtures.js';

const root = tempDir('e2e');
after(() => removeDir(root));
const evalLines = (dir: string) => readMetricLines(join(dir, 'metrics.jsonl')).filter((l) => 'eval_loss' in l);
const trainLines = (dir: string) => readMetricLines(join(dir, 'metrics.jsonl')).filter((l) => 'loss' in l);

describe('trainers end to end', () => {
  test('SFT then DPO: rewards/accuracies on the training pairs above 0.9, the margin grows', async () => {
    const sftDir = join(root, 'sft');
    const sft = await runTraining(tinyConfig('sft', sftDir, { num_train_epochs: 8, learning_rate: 3e-3 }));
    const sftLines = trainLines(sftDir);
    assert.equal(sft.status, 'completed');
    assert.ok(sftLines.at(-1)!.loss < sftLines[0].loss - 1, `SFT loss ${sftLines[0].loss} -> ${sftLines.at(-1)!.loss}`);
    assert.ok(existsSync(join(sftDir, 'final', 'model.safetensors')));

    const dpoDir = join(root, 'dpo');
    const logs: string[] = [];
    const dpo = await runTraining(tinyConfig('dpo', dpoDir, {
      init: null, model_name_or_path: join(sftDir, 'final'), tokenizer: null, eval_file: PAIRS_TRAIN, num_train_epochs: 6,
      eval_steps: 6, save_steps: 10, save_total_limit: 2, logging_steps: 2,
    }), { log: (l) => logs.push(l) });
    const ev = evalLines(dpoDir);
    assert.equal(ev.length, 6);
    assert.ok(ev.at(-1)!['eval_rewards/accuracies'] > 0.9, `accuracy on the training pairs ${ev.at(-1)!['eval_rewards/accuracies']}`);
    assert.ok(ev.at(-1)!['eval_rewards/margins'] > ev[0]['eval_rewards/margins'] + 1, `margin ${ev[0]['eval_rewards/margins']} -> ${ev.at(-1)!['eval_rewards/margins']}`);

    // The run folder, as `prefkit report` reads it.
    const config = JSON.parse(readFileSync(join(dpoDir, 'config.json'), 'utf8'));
    assert.equal(config.command, 'dpo');
    assert.equal(config.beta, 0.1);
    const line = trainLines(dpoDir)[0];
    for (const k of ['step', 'epoch', 'loss', 'learning_rate', 'grad_norm', 'tokens/s', 'rewards/chosen', 'rewards/rejected', 'rewards/accuracies', 'rewards/margins', 'logps/chosen', 'logps/rejected']) {
      assert.ok(k in line, `metrics.jsonl lacks ${k}`);
    }
    assert.deepEqual(readdirSync(join(dpoDir, 'checkpoints')).sort(), ['step-20', 'step-30']);
    const ck = join(dpoDir, 'checkpoints', 'step-30');
    assert.deepEqual(readdirSync(ck).sort(), ['config.json', 'model.safetensors', 'optimizer.safetensors', 'prefkit_tokenizer.json', 'trainer_state.json', 'training_config.json']);
    const state = JSON.parse(readFileSync(join(ck, 'trainer_state.json'), 'utf8'));
    assert.equal(state.global_step, 30);
    assert.deepEqual(state.loop.loader, { epoch: 4, batch: 6 }); // the 5th epoch's 6 batches consumed
    const summary = JSON.parse(readFileSync(join(dpoDir, 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'completed');
    assert.equal(summary.global_step, 36);
    assert.ok(summary.peak_rss_mb > 0 && summary.tokens_per_second > 0);
    assert.equal(summary.reference.mode, 'precomputed');
    assert.equal(dpo.final_dir, join(dpoDir, 'final'));
    assert.ok(logs.some((l) => l.includes('reference log-probs (train): computing 96 rows once')));
  });

  test('a reward model trained on the pairs ranks held-out pairs better than chance', async () => {
    const dir = join(root, 'rm');
    const rm = await runTraining(tinyConfig('rm', dir, { eval_file: PAIRS_HELDOUT, num_train_epochs: 4, learning_rate: 3e-3, center_rewards_coefficient: 0.01 }));
    assert.ok(rm.final_eval!.eval_accuracy > 0.75, `held-out accuracy ${rm.final_eval!.eval_accuracy}`);
    // Independently: reload the saved *ForSequenceClassification model and score the held-out pairs.
    const model = loadModel(join(dir, 'final'));
    assert.equal(model.rawConfig.num_labels, 1);
    const tok = new ByteTokenizer();
    const { examples } = await loadExamples(PAIRS_HELDOUT);
    const batch = collatePairs(examples.map((e) => tokenizePair(e.example as PairedExample, tok, { maxLength: 128 })!), { padId: tok.padId });
    const scores = T.noGrad(() => rewardScores(model, batch)).data;
    let right = 0;
    for (let i = 0; i < batch.pairs; i++) if (scores[i] > scores[batch.pairs + i]) right++;
    assert.ok(right / batch.pairs > 0.75, `held-out accuracy of the saved model ${right}/${batch.pairs}`);
  });

  test('KTO on unpaired pairs logs kl and the TRL reward metrics', async () => {
    const dir = join(root, 'kto');
    const kto = await runTraining(tinyConfig('kto', dir, { max_steps: 8, logging_steps: 4 }));
    assert.equal(kto.train_examples, 96);
    const last = trainLines(dir).at(-1)!;
    for (const k of ['kl', 'rewards/chosen', 'rewards/rejected', 'rewards/margins', 'logps/chosen', 'logps/rejected']) assert.ok(k in last, `KTO line lacks ${k}`);
  });

  test('listwise (Plackett-Luce) on ranked lists', async () => {
    const dir = join(root, 'pl');
    const pl = await runTraining(tinyConfig('dpo', dir, { train_file: RANKED_TRAIN, loss_type: 'plackett_luce', max_steps: 6 }));
    assert.equal(pl.status, 'completed');
    assert.ok('rewards/top1_accuracy' in trainLines(dir)[0]);
  });

  test('LoRA: the base with adapters off is the reference and equals the precomputed one', async () => {
    const lora = { use_peft: true, lora_r: 4, lora_alpha: 8, lora_dropout: 0, learning_rate: 1e-2, max_steps: 6 };
    await runTraining(tinyConfig('dpo', join(root, 'lora-base'), { ...lora, reference: 'lora_base' }));
    await runTraining(tinyConfig('dpo', join(root, 'lora-pre'), lora));
    const a = trainLines(join(root, 'lora-base'));
    const b = trainLines(join(root, 'lora-pre'));
    a.forEach((l: MetricLine, i) => assert.ok(Math.abs(l.loss - b[i].loss) < 1e-5, `step ${l.step}: ${l.loss} vs ${b[i].loss}`));
    assert.ok(existsSync(join(root, 'lora-base', 'final', 'adapter_model.safetensors')));
    assert.ok(existsSync(join(root, 'lora-base', 'final', 'adapter_config.json')));
  });

  test('LoRA reward model (dropout on): stop and resume give the same lines; the head travels in the adapter', async () => {
    const extra = { use_peft: true, lora_r: 4, lora_dropout: 0.1, learning_rate: 1e-2, max_steps: 12, save_steps: 4, eval_file: PAIRS_HELDOUT, eval_steps: 6 };
    const full = join(root, 'rm-lora');
    await runTraining(tinyConfig('rm', full, extra));
    const part = join(root, 'rm-lora-stopped');
    let steps = 0;
    const stopped = await runTraining(tinyConfig('rm', part, extra), { shouldStop: () => ++steps >= 7 });
    assert.equal(stopped.status, 'interrupted');
    assert.equal(stopped.global_step, 7);
    const resumed = await runTraining(tinyConfig('rm', part, { ...extra, resume_from_checkpoint: true }));
    assert.equal(resumed.resumed_from, join(part, 'checkpoints', 'step-7'));
    assert.equal(sameLines(withoutTiming(readMetricLines(join(full, 'metrics.jsonl'))), withoutTiming(readMetricLines(join(part, 'metrics.jsonl')))), null);
    const adapter = JSON.parse(readFileSync(join(full, 'final', 'adapter_config.json'), 'utf8'));
    assert.equal(adapter.task_type, 'SEQ_CLS');
    assert.deepEqual(adapter.modules_to_save, ['score']);
    assert.equal(adapter.base_model_name_or_path, join(full, 'base_model'));
    assert.ok(existsSync(join(full, 'base_model', 'model.safetensors')));
  });
});
