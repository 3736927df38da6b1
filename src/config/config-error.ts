// A config problem at a public boundary (house rule 5): which key, where it came from (file or
// command line), what was expected, what was received, and a hint.
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Levenshtein distance, for "did you mean" hints on misspelled keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest valid key when it is close enough to be a typo. */
export function closestKey(key: string, valid: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const v of valid) {
    const d = distance(key, v);
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.floor(key.length / 4)) ? best : null;
}
