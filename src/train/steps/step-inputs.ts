// Which loss inputs each step function provides, and a check before training that every chosen loss
// (and the base loss a wrapper names) finds what it requires — an error naming the loss, the missing
// input and the losses that would work, instead of a failure at the first step.
import { getLoss, LOSS_NAMES, type InputName, type ResolvedLossConfig } from '../../losses/index.js';

export const STEP_INPUTS = {
  preference: [
    'policyChosenLogps', 'policyRejectedLogps', 'policyChosenTokenLogps', 'policyRejectedTokenLogps', 'chosenMask', 'rejectedMask',
    'chosenLengths', 'rejectedLengths', 'refChosenLogps', 'refRejectedLogps',
  ],
  reward: ['chosenRewards', 'rejectedRewards'],
  unpaired: ['policyLogps', 'refLogps', 'labels', 'policyKlLogps', 'refKlLogps'],
  listwise: ['policyListLogps', 'listScores', 'listLengths', 'refListLogps'],
} as const satisfies Record<string, readonly InputName[]>;

export type StepKind = keyof typeof STEP_INPUTS;

function required(name: string, options: Record<string, unknown>): InputName[] {
  const spec = getLoss(name);
  const base = spec.baseLossOption ? options[spec.baseLossOption] : null;
  return [...spec.requires, ...(typeof base === 'string' ? getLoss(base).requires : [])];
}

/** Throws when a chosen loss needs an input this step does not provide. */
export function checkStepInputs(loss: ResolvedLossConfig, kind: StepKind, command: string): void {
  const provided = new Set<InputName>(STEP_INPUTS[kind]);
  loss.names.forEach((name, k) => {
    const missing = required(name, loss.options[k]).filter((i) => !provided.has(i));
    if (!missing.length) return;
    const usable = LOSS_NAMES.filter((n) => getLoss(n).inputs !== 'diffusion' && required(n, getLoss(n).defaults).every((i) => provided.has(i))
      && getLoss(n).requires.length > 0);
    throw new Error(`loss '${name}' needs input ${missing.join(', ')}, which \`prefkit train ${command}\` does not compute ` +
      `(it provides ${[...provided].join(', ')}); losses it can train with: ${usable.join(', ')}`);
  });
}

/** The inputs a loss needs that `prefkit train <command>` does not compute (empty: it can train with it). */
export function missingInputs(command: string, name: string): InputName[] {
  const spec = getLoss(name);
  const kind: StepKind | null = command === 'rm' ? 'reward' : command === 'kto' ? 'unpaired'
    : command === 'dpo' ? (spec.inputs === 'listwise' ? 'listwise' : 'preference') : null;
  if (!kind) return [];
  const provided = new Set<InputName>(STEP_INPUTS[kind]);
  return required(name, spec.defaults).filter((i) => !provided.has(i));
}
