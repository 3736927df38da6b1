// `--key value` overrides from the command line into a plain object: values are read as YAML scalars
// (numbers, true/false, null, [lists]), dashes in keys become underscores, dotted keys reach into
// nested objects (--init.hidden_size 64), and a flag without a value is true (--use_peft).
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';

export interface Overrides {
  values: Record<string, unknown>;
  /** Top-level key -> how it was given (for error messages), e.g. "--learning_rate". */
  origins: Record<string, string>;
}

function parseValue(text: string): unknown {
  try {
    const v: unknown = parseYaml(text);
    // A bare word that YAML reads as a mapping or nothing (e.g. "a: b", "") stays the text the user typed.
    return v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v)) ? text : v;
  } catch {
    return text;
  }
}

export function parseOverrides(argv: readonly string[]): Overrides {
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg.length < 3) {
      throw new ConfigError(`unexpected argument '${arg}': options are --key value (e.g. --learning_rate 1e-5)`);
    }
    const eq = arg.indexOf('=');
    const rawKey = arg.slice(2, eq < 0 ? undefined : eq);
    let value: unknown;
    if (eq >= 0) value = parseValue(arg.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = parseValue(argv[++i]);
    else value = true;
    const path = rawKey.split('.').map((k) => k.replace(/-/g, '_'));
    let target = values;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[path[path.length - 1]] = value;
    origins[path[0]] = `--${rawKey}`;
  }
  return { values, origins };
}

/** Deep merge of overrides into the file's values (nested objects merge key by key). */
export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = isObj(b) && isObj(v) ? mergeConfig(b, v) : v;
  }
  return out;
}
