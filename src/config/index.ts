// Typed, strict configs of the `prefkit train` commands (house rule 4).
export { ConfigError, closestKey } from './config-error.js';
export {
  COMMAND_LOSS_KINDS, COMMAND_SUMMARY, SCHEMAS, TRAIN_COMMANDS, lossOptionKeys, lossesFor,
  type DpoConfig, type InitConfig, type KtoConfig, type RmConfig, type SftConfig, type TrainCommand,
} from './command-schemas.js';
export { DATA_SOURCES, SCHEDULE_NAMES } from './common-schema.js';
export { isTrainCommand, loadTrainConfig, readConfigFile, resolveTrainConfig, type ResolvedTrainConfig } from './load-config.js';
export { mergeConfig, parseOverrides, type Overrides } from './overrides.js';
export { trainHelp } from './help.js';
