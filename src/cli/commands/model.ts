// `prefkit model info`, `prefkit generate`, `prefkit score`: working with Hugging Face checkpoints.
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseOptions } from '../args.js';

function num(option: string, value: unknown, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${option} expects ${integer ? 'an integer' : 'a number'}, got '${String(value)}'`);
  }
  return n;
}

const infoCommand: Command = {
  name: 'model info',
  summary: 'architecture and parameter count of a checkpoint folder',
  usage: 'usage: prefkit model info DIR [--json]\n\nDIR holds config.json and model.safetensors (Hugging Face layout).',
  async run(argv) {
    const { values, positionals } = parseOptions('model info', argv, { json: { type: 'boolean' } }, true);
    if (positionals.length !== 1) throw new UsageError('model info expects one folder: prefkit model info DIR');
    const { modelInfo } = await import('../../eval/model-info.js');
    const info = modelInfo(positionals[0]);
    if (values.json) {
      console.log(JSON.stringify(info));
      return 0;
    }
    console.log(`${info.dir}\n  model_type: ${info.modelType}\n  parameters: ${info.parameters.toLocaleString('en-US')} in ${info.tensors} tensors`);
    for (const [k, v] of Object.entries(info.architecture)) console.log(`  ${k}: ${JSON.stringify(v)}`);
    console.log(`  tokenizer files: ${info.tokenizerFiles.join(', ') || 'none'}`);
    return 0;
  },
};

const generateCommand: Command = {
  name: 'generate',
  summary: 'generate text from a checkpoint (greedy or sampling, KV cache)',
  usage: `usage: prefkit generate --model DIR --prompt TEXT [--prompt TEXT ...] [options]

  --max-new-tokens N   default 64
  --temperature T      0 = greedy (default)
  --top-k K, --top-p P sampling filters
  --seed S             default 0
  --stop STRING        stop string (repeatable)
  --chat               wrap the prompt with the tokenizer's chat template
  --tokenizer DIR|byte tokenizer to use (default: the model folder's; byte-level for 259-token models)
  --json               one JSON line per prompt`,
  async run(argv) {
    const { values } = parseOptions('generate', argv, {
      model: { type: 'string' }, prompt: { type: 'string', multiple: true }, 'max-new-tokens': { type: 'string' },
      temperature: { type: 'string' }, 'top-k': { type: 'string' }, 'top-p': { type: 'string' }, seed: { type: 'string' },
      stop: { type: 'string', multiple: true }, chat: { type: 'boolean' }, json: { type: 'boolean' },
      tokenizer: { type: 'string' },
    });
    if (!values.model || !values.prompt) throw new UsageError('generate needs --model DIR and --prompt TEXT');
    const { generateText } = await import('../../eval/generate-text.js');
    const out = generateText(values.model as string, values.prompt as string[], {
      maxNewTokens: num('max-new-tokens', values['max-new-tokens'], 64, true),
      temperature: num('temperature', values.temperature, 0),
      topK: num('top-k', values['top-k'], 0, true),
      topP: num('top-p', values['top-p'], 1),
      seed: num('seed', values.seed, 0, true),
      stopStrings: values.stop as string[] | undefined,
      chat: Boolean(values.chat),
      tokenizer: values.tokenizer as string | undefined,
    });
    out.text.forEach((text, i) => {
      if (values.json) console.log(JSON.stringify({ prompt: (values.prompt as string[])[i], completion: text, finish: out.finish[i] }));
      else console.log(text);
    });
    return 0;
  },
};

const scoreCommand: Command = {
  name: 'score',
  summary: 'per-token log-probs of texts or completions under a model (JSONL out)',
  usage: `usage: prefkit score --model DIR --data FILE --out FILE.jsonl

Each input row (JSONL, JSON array or Parquet) holds one of:
  {"text": "..."}                       scored after the first token
  {"prompt": "...", "completion": "..."} the completion is scored
  {"ids": [..], "completion_start": k}  raw token ids; completion starts at index k (default 1)
Each output line: token_logprobs (entry t-1 = log p(token t | tokens < t)), completion_start,
completion_sum, completion_mean, num_completion_tokens, num_tokens.`,
  async run(argv) {
    const { values } = parseOptions('score', argv, { model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' } });
    if (!values.model || !values.data || !values.out) throw new UsageError('score needs --model DIR --data FILE --out FILE');
    const { scoreFile } = await import('../../eval/score-file.js');
    const report = await scoreFile(values.model as string, values.data as string, values.out as string, (n) => {
      if (process.stderr.isTTY && n % 10 === 0) process.stderr.write(`\rscored ${n} rows`);
    });
    if (process.stderr.isTTY) process.stderr.write('\r');
    console.log(`scored ${report.scored} rows -> ${report.outFile}`);
    return 0;
  },
};

export const modelCommands: Command[] = [infoCommand, generateCommand, scoreCommand];
