// Typed access to fields of a Hugging Face config.json, with errors naming the file and the key.

export type Json = Record<string, unknown>;

export class ConfigReader {
  constructor(readonly json: Json, readonly file: string) {}

  private fail(key: string, expected: string): never {
    const got = this.json[key];
    throw new Error(`${this.file}: field '${key}' should be ${expected}, got ${got === undefined ? 'nothing (missing)' : JSON.stringify(got)}`);
  }

  has(key: string): boolean {
    return this.json[key] !== undefined && this.json[key] !== null;
  }

  int(key: string, fallback?: number): number {
    const v = this.json[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) this.fail(key, 'a non-negative integer');
    return v;
  }

  num(key: string, fallback?: number): number {
    const v = this.json[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(key, 'a number');
    return v;
  }

  bool(key: string, fallback?: boolean): boolean {
    const v = this.json[key] ?? fallback;
    if (typeof v !== 'boolean') this.fail(key, 'true or false');
    return v;
  }

  str(key: string, fallback?: string): string {
    const v = this.json[key] ?? fallback;
    if (typeof v !== 'string') this.fail(key, 'a string');
    return v;
  }

  optInt(key: string): number | null {
    return this.has(key) ? this.int(key) : null;
  }

  /** eos_token_id may be an integer or a list of integers. */
  tokenIds(key: string): number | number[] | null {
    const v = this.json[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (Array.isArray(v) && v.every((x) => Number.isInteger(x))) return v as number[];
    this.fail(key, 'an integer or a list of integers');
  }

  /** Rejects a value outside an allowed set, listing it. */
  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const v = this.json[key] ?? fallback;
    if (typeof v !== 'string' || !allowed.includes(v as T)) this.fail(key, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
    return v as T;
  }
}
