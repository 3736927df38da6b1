// One strict schema per `prefkit train` command. dpo, kto and rm also accept the options of the
// registered losses of their kind (beta, label_smoothing, desirable_weight, ...): the names come from
// the loss registry, and their values are checked by the registry itself (resolveLossConfig).
import * as z from 'zod';
import { getLoss, LOSS_NAMES, type InputKind } from '../losses/index.js';
import { commonShape, lossShape, referenceShape } from './common-schema.js';

import { COMMAND_SUMMARY, TRAIN_COMMANDS, type TrainCommand } from './train-commands.js';

export { COMMAND_SUMMARY, TRAIN_COMMANDS, type TrainCommand };

/** Which loss kinds each command trains with. */
export const COMMAND_LOSS_KINDS: Record<TrainCommand, InputKind[]> = {
  sft: [],
  dpo: ['paired', 'paired-ref-free', 'listwise'],
  kto: ['unpaired'],
  rm: ['reward'],
};

/** Losses a command can train with. */
export function lossesFor(command: TrainCommand): string[] {
  const kinds = COMMAND_LOSS_KINDS[command];
  return LOSS_NAMES.filter((n) => kinds.includes(getLoss(n).inputs));
}

/** Option names of every loss a command can use (beyond the combination keys). */
export function lossOptionKeys(command: TrainCommand): string[] {
  const keys = new Set<string>();
  for (const n of lossesFor(command)) for (const k of Object.keys(getLoss(n).defaults)) keys.add(k);
  for (const k of Object.keys(lossShape('x'))) keys.delete(k);
  return [...keys].sort();
}

const lossOptionShape = (command: TrainCommand) =>
  Object.fromEntries(lossOptionKeys(command).map((k) => [k, z.unknown().optional().describe(`loss option (see \`prefkit loss list\`)`)]));

export const sftSchema = z.strictObject({
  ...commonShape,
  learning_rate: z.number().positive().default(2e-5).describe('peak learning rate'),
  completion_only_loss: z.boolean().default(true).describe('NLL on completion tokens only (false: prompt tokens too)'),
});

export const dpoSchema = z.strictObject({
  ...commonShape,
  learning_rate: z.number().positive().default(1e-6).describe('peak learning rate'),
  ...referenceShape,
  ...lossShape('sigmoid'),
  ...lossOptionShape('dpo'),
});

export const ktoSchema = z.strictObject({
  ...commonShape,
  learning_rate: z.number().positive().default(1e-6).describe('peak learning rate'),
  ...referenceShape,
  ...lossShape('kto'),
  ...lossOptionShape('kto'),
});

export const rmSchema = z.strictObject({
  ...commonShape,
  learning_rate: z.number().positive().default(1e-5).describe('peak learning rate'),
  ...lossShape('bradley_terry'),
  ...lossOptionShape('rm'),
});

export const SCHEMAS = { sft: sftSchema, dpo: dpoSchema, kto: ktoSchema, rm: rmSchema } as const;

export type SftConfig = z.infer<typeof sftSchema>;
export type DpoConfig = z.infer<typeof dpoSchema>;
export type KtoConfig = z.infer<typeof ktoSchema>;
export type RmConfig = z.infer<typeof rmSchema>;
export type InitConfig = NonNullable<SftConfig['init']>;
