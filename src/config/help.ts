// `prefkit train <command> --help`, generated from the command's schema (key, type, default,
// description) and the loss registry (the losses the command trains with and their options).
import * as z from 'zod';
import { getLoss } from '../losses/index.js';
import { COMMAND_SUMMARY, lossesFor, SCHEMAS, type TrainCommand } from './command-schemas.js';

interface JsonProp {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  anyOf?: JsonProp[];
  items?: JsonProp;
  properties?: Record<string, JsonProp>;
}

function typeOf(p: JsonProp): string {
  if (p.enum) return p.enum.map(String).join('|');
  if (p.anyOf) return [...new Set(p.anyOf.map(typeOf))].join(' | ');
  const t = Array.isArray(p.type) ? p.type.join(' | ') : p.type;
  if (t === 'array') return `list of ${p.items ? typeOf(p.items) : 'values'}`;
  if (t === 'object') return 'mapping';
  return t ?? 'value';
}

const fmt = (v: unknown): string => (v === undefined ? 'required' : `default ${JSON.stringify(v)}`);

/**
 * `missing(loss)` (from the train layer) lists inputs a loss needs that the command's step does not compute;
 * such losses are marked in the list.
 */
export function trainHelp(command: TrainCommand, missing: (loss: string) => string[] = () => []): string {
  const json = z.toJSONSchema(SCHEMAS[command], { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, JsonProp> };
  const lines = [
    `usage: prefkit train ${command} --config FILE.yaml [--key value ...]`,
    '',
    COMMAND_SUMMARY[command] + '.',
    'Every key below may be set in the YAML file or on the command line (--key value, --init.hidden_size 64);',
    'the command line wins. Unknown keys are errors. The resolved config is saved to OUTPUT_DIR/config.json.',
    'Run folder: config.json, metrics.jsonl (TRL metric names), checkpoints/step-N/, final/, summary.json.',
    'Ctrl-C writes a checkpoint and stops; --resume_from_checkpoint true continues exactly.',
    '',
    'Keys:',
  ];
  const lossKeys = new Set<string>();
  for (const [key, p] of Object.entries(json.properties)) {
    if (p.description?.startsWith('loss option')) {
      lossKeys.add(key);
      continue;
    }
    lines.push(`  ${key}  (${typeOf(p)}; ${fmt(p.default)})`, `      ${p.description ?? ''}`);
    if (key === 'init') {
      const inner = SCHEMAS[command].shape.init.unwrap().unwrap();
      const innerJson = z.toJSONSchema(inner, { io: 'input' }) as { properties: Record<string, JsonProp> };
      for (const [k, q] of Object.entries(innerJson.properties)) lines.push(`      init.${k}  (${typeOf(q)}; ${fmt(q.default)}) ${q.description ?? ''}`);
    }
  }
  const losses = lossesFor(command);
  if (losses.length) {
    lines.push('', `Losses (loss_type; several combine with loss_weights):`);
    for (const name of losses) {
      const spec = getLoss(name);
      const opts = Object.entries(spec.defaults).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
      const lacks = missing(name);
      const note = lacks.length ? ` [not trainable here yet: needs ${lacks.join(', ')}]` : command !== 'rm' && !spec.needsReference ? ' (reference-free)' : '';
      lines.push(`  ${name}${note}: ${spec.description}`);
      if (opts) lines.push(`      options: ${opts}`);
    }
    lines.push('', `Loss options are top-level keys (${[...lossKeys].join(', ')}); each must belong to a chosen loss.`);
  }
  return lines.join('\n');
}
