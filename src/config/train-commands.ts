// The `prefkit train` commands and their one-line summaries: no schema code, so the CLI can list
// them without loading the config layer.
export const TRAIN_COMMANDS = ['sft', 'dpo', 'kto', 'rm'] as const;
export type TrainCommand = (typeof TRAIN_COMMANDS)[number];

export const COMMAND_SUMMARY: Record<TrainCommand, string> = {
  sft: 'supervised fine-tuning: NLL of the completions (chosen side of pairs, desirable unpaired examples)',
  dpo: 'preference optimisation on pairs with any registered pairwise loss or weighted combination (DPO family)',
  kto: 'unpaired preference optimisation (KTO family) on prompt/completion/label data (pairs are unpaired)',
  rm: 'Bradley-Terry reward model: backbone + score head on pairs (margins, reward centring)',
};
