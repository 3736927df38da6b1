// Python's string order (by Unicode code point), which safetensors and `json.dumps(sort_keys=True)`
// use. JavaScript's `<` compares UTF-16 code units and differs for characters above U+FFFF.

export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
