// Short, human descriptions of JSON values for "found ..." in error messages:
//   a number (3), a string of 0 characters (empty), null, a list of 2 items, an object with keys a, b

const MAX = 40;

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') {
    if (v.length === 0) return 'an empty string';
    if (v.trim().length === 0) return `a string of only whitespace (${JSON.stringify(v)})`;
    return `a string (${quote(v)})`;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? `a number (${v})` : `a non-finite number (${v})`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  if (typeof v === 'bigint') return `an integer (${v})`;
  if (v instanceof Uint8Array) return `binary data of ${v.length} bytes`;
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as object);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''}`;
  }
  return typeof v;
}

export function quote(s: string): string {
  const j = JSON.stringify(s.length > MAX ? s.slice(0, MAX) : s);
  return s.length > MAX ? `${j.slice(0, -1)}…"` : j;
}
