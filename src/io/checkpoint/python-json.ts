// config.json exactly as transformers' `save_pretrained` writes it:
// `json.dumps(config, indent=2, sort_keys=True) + "\n"`, i.e. keys sorted at every level (code point
// order), 2-space indent, ", " -> "," + newline, ": " after keys, non-ASCII escaped as \uXXXX
// (ensure_ascii), and floats in Python's repr form (1e-06, not 0.000001).
//
// One thing cannot be reproduced: JSON.parse turns 10000.0 into 10000, so an integer-valued float
// of the original file is written as an integer ("rope_theta": 10000). transformers reads both alike.
// NaN and Infinity (which Python would write as non-standard JSON) are refused, as are values JSON
// cannot hold; `undefined` object members are left out, as JSON.stringify does.

import { compareCodePoints } from '../safetensors/code-point-order.js';

/** Serialises `value` like Python's json.dumps(indent=2, sort_keys=True) plus a final newline. */
export function toPythonJson(value: unknown, what = 'value'): string {
  return `${encode(value, '', what)}\n`;
}

function encode(value: unknown, indent: string, where: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return pythonNumber(value, where);
    case 'bigint':
      return value.toString();
    case 'string':
      return pythonString(value);
    case 'object':
      break;
    default:
      throw new TypeError(`${where}: a ${typeof value} cannot be written as JSON`);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v, i) => `${inner}${encode(v ?? null, inner, `${where}[${i}]`)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compareCodePoints(a, b));
  if (entries.length === 0) return '{}';
  const items = entries.map(([k, v]) => `${inner}${pythonString(k)}: ${encode(v, inner, `${where}.${k}`)}`);
  return `{\n${items.join(',\n')}\n${indent}}`;
}

/** Python's float repr: shortest round-trip digits, exponent form below 1e-4 ("1e-06"). */
export function pythonNumber(x: number, where = 'value'): string {
  if (!Number.isFinite(x)) throw new TypeError(`${where}: ${x} cannot be written as JSON`);
  if (Number.isInteger(x)) return Math.abs(x) < 1e21 ? String(x === 0 ? 0 : x) : BigInt(x).toString();
  if (Math.abs(x) >= 1e-4) return String(x); // non-integers are below 2^53, so never exponent form here
  const [digits, exp] = x.toExponential().split('e') as [string, string];
  const e = Number(exp);
  return `${digits}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** A JSON string with ensure_ascii escaping: everything outside ' '..'~' as \uXXXX (or \n, \t ...). */
function pythonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
