// Errors of the loss layer and the option checks every loss uses. Each message names the loss, the
// option, the value received and the valid range (house rule 5), e.g.
//   loss 'sigmoid': option beta = -1 is out of range; expected beta > 0
import type { LossOptions } from './types.js';

export class LossError extends Error {
  constructor(message: string, readonly loss?: string, readonly option?: string) {
    super(message);
    this.name = 'LossError';
  }
}

export interface Range {
  gt?: number;
  ge?: number;
  lt?: number;
  le?: number;
  integer?: boolean;
  /** Appended to the message, e.g. why the bound exists. */
  hint?: string;
}

export function describeRange(option: string, r: Range): string {
  const lo = r.gt !== undefined ? `${r.gt} < ` : r.ge !== undefined ? `${r.ge} <= ` : '';
  const hi = r.lt !== undefined ? ` < ${r.lt}` : r.le !== undefined ? ` <= ${r.le}` : '';
  const int = r.integer ? ' (an integer)' : '';
  if (lo && hi) return `${lo}${option}${hi}${int}`;
  if (hi) return `${option}${hi}${int}`;
  if (r.gt !== undefined) return `${option} > ${r.gt}${int}`;
  if (r.ge !== undefined) return `${option} >= ${r.ge}${int}`;
  return `${option} a finite number${int}`;
}

function inRange(v: number, r: Range): boolean {
  if (!Number.isFinite(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  if (r.gt !== undefined && !(v > r.gt)) return false;
  if (r.ge !== undefined && !(v >= r.ge)) return false;
  if (r.lt !== undefined && !(v < r.lt)) return false;
  if (r.le !== undefined && !(v <= r.le)) return false;
  return true;
}

/** Throws unless options[option] is a number in the range. */
export function checkRange(loss: string, options: LossOptions, option: string, r: Range): void {
  const v = options[option];
  if (typeof v !== 'number' || !inRange(v, r)) {
    const hint = r.hint ? ` (${r.hint})` : '';
    throw new LossError(`loss '${loss}': option ${option} = ${JSON.stringify(v)} is out of range; ` +
      `expected ${describeRange(option, r)}${hint}`, loss, option);
  }
}

/** Same, but null (option unset) is allowed. */
export function checkOptionalRange(loss: string, options: LossOptions, option: string, r: Range): void {
  if (options[option] !== null) checkRange(loss, options, option, r);
}

export function checkChoice(loss: string, options: LossOptions, option: string, choices: readonly string[]): void {
  const v = options[option];
  if (typeof v !== 'string' || !choices.includes(v)) {
    throw new LossError(`loss '${loss}': option ${option} = ${JSON.stringify(v)} is not valid; ` +
      `expected one of: ${choices.join(', ')}`, loss, option);
  }
}

/** beta > 0, the check most losses share. */
export function checkBeta(loss: string, options: LossOptions, option = 'beta'): void {
  checkRange(loss, options, option, { gt: 0 });
}
