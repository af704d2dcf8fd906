/**
 * @module The CLI entry: builds the command tree, runs it, and turns every
 * error into one line on stderr and an exit code (DESIGN.md "Exit codes").
 */
import { Command, CommanderError } from "commander";
import { EXIT, SockdocError } from "../model/errors.js";
import { closewaitCommand } from "./commands/closewait.js";
import { diagnoseCommand } from "./commands/diagnose.js";
import { labCommand } from "./commands/lab.js";
import { lsCommand } from "./commands/ls.js";
import { summaryCommand } from "./commands/summary.js";

const VERSION = "0.1.0";

function buildProgram(): Command {
  const program = new Command("sockdoc")
    .description(
      "Find, explain and clear CLOSE_WAIT and TIME_WAIT TCP sockets on Linux.\n" +
        "With no command, prints a diagnosis of this host.",
    )
    .version(VERSION, "-V, --version")
    .option("--debug", "print stack traces for errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  program.addCommand(diagnoseCommand(), { isDefault: true });
  program.addCommand(summaryCommand());
  program.addCommand(lsCommand());
  program.addCommand(closewaitCommand());
  program.addCommand(labCommand());
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride().configureOutput({
      // One line that starts like every other sockdoc error.
      outputError: (text, write) => write(`sockdoc: ${text.replace(/^error: /, "")}`),
    });
  }
  return program;
}

function report(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    // Commander already printed its message (and help) to stderr.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  if (err instanceof SockdocError) {
    process.stderr.write(`sockdoc: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "EPIPE") return EXIT.ok;
  if (e?.code === "EACCES" || e?.code === "EPERM") {
    process.stderr.write(`sockdoc: not permitted: ${e.message}; try again as root (sudo sockdoc ...)\n`);
    return EXIT.permission;
  }
  process.stderr.write(
    `sockdoc: internal error: ${e?.message ?? String(err)} (run with --debug for details)\n`,
  );
  return EXIT.input;
}

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (err) {
    return report(err, debug);
  }
}

process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(EXIT.ok);
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
