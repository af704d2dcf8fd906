/**
 * @module `sockdoc tune`: advice, config lint, and safe apply / rollback of
 * the kernel settings around CLOSE_WAIT and TIME_WAIT. Thin: each
 * subcommand lives in cli/tune/, the work in analysis/advisor/ and
 * actions/tune/.
 */
import { Command } from "commander";
import { adviseCommand } from "../tune/advise-command.js";
import { applyCommand } from "../tune/apply-command.js";
import { TUNE_DESCRIPTION, TUNE_HELP } from "../tune/help.js";
import { historyCommand } from "../tune/history-command.js";
import { lintCommand } from "../tune/lint-command.js";
import { rollbackCommand } from "../tune/rollback-command.js";

export function tuneCommand(): Command {
  return (
    new Command("tune")
      .summary("kernel settings for CLOSE_WAIT/TIME_WAIT: advise, lint, apply, rollback")
      .description(TUNE_DESCRIPTION)
      .addCommand(adviseCommand(), { isDefault: true })
      .addCommand(lintCommand())
      .addCommand(applyCommand())
      .addCommand(rollbackCommand())
      .addCommand(historyCommand())
      .addHelpText("after", TUNE_HELP)
      // main.ts configures error output and exit codes on the top-level commands; pass it down.
      .hook("preSubcommand", (tune, sub) => {
        sub.copyInheritedSettings(tune);
      })
  );
}
