// `prefkit train sft|dpo|kto|rm --config FILE.yaml [--key value ...]`: argv -> config -> runTraining.
// No ML logic here: the config layer validates, the train layer runs.
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { COMMAND_SUMMARY, TRAIN_COMMANDS, type TrainCommand } from '../../config/train-commands.js';

/** Splits out --config FILE and --resume [PATH] (short for --resume_from_checkpoint); the rest are overrides. */
function splitArgs(argv: string[]): { file: string | null; overrides: string[] } {
  let file: string | null = null;
  const overrides: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config' || a.startsWith('--config=')) {
      file = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!file) throw new UsageError('--config expects a YAML file');
    } else if (a === '--resume' || a.startsWith('--resume=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
      overrides.push('--resume_from_checkpoint', value);
    } else {
      overrides.push(a);
    }
  }
  return { file, overrides };
}

function trainCommand(name: TrainCommand): Command {
  return {
    name: `train ${name}`,
    summary: COMMAND_SUMMARY[name],
    async usage() {
      const [{ trainHelp }, { missingInputs }] = await Promise.all([import('../../config/index.js'), import('../../train/index.js')]);
      return trainHelp(name, (loss) => missingInputs(name, loss));
    },
    async run(argv) {
      const [{ ConfigError, loadTrainConfig }, { runTraining }] = await Promise.all([
        import('../../config/index.js'), import('../../train/index.js'),
      ]);
      const { file, overrides } = splitArgs(argv);
      let resolved;
      try {
        resolved = loadTrainConfig(name, { file, overrides });
      } catch (e) {
        if (e instanceof ConfigError) throw new UsageError(e.message);
        throw e;
      }
      const tty = Boolean(process.stdout.isTTY);
      const summary = await runTraining(resolved, {
        log: (line) => console.log(line),
        progress: { tty, write: (t) => process.stdout.write(t), columns: process.stdout.columns },
        handleSignals: true,
      });
      const m = summary.final_metrics ?? {};
      const acc = m['rewards/accuracies'] ?? m.accuracy;
      console.log(`${summary.status} at step ${summary.global_step}/${summary.max_steps}: loss ${m.loss?.toPrecision(4) ?? '-'}` +
        `${acc !== undefined ? `, reward accuracy ${acc.toFixed(3)}` : ''}, ${Math.round(summary.tokens_per_second)} tokens/s, ` +
        `peak RSS ${summary.peak_rss_mb} MB; run folder ${resolved.config.output_dir}`);
      return summary.status === 'interrupted' ? 130 : 0;
    },
  };
}

export const trainCommands: Command[] = TRAIN_COMMANDS.map(trainCommand);
