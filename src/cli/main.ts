/**
 * @module The CLI entry: builds the command tree, runs it, and turns every
 * error into one line on stderr and an exit code (DESIGN.md "Exit codes").
 */
import { Command, CommanderError } from "commander";
import { EXIT, SockdocError } from "../model/errors.js";
import { VERSION } from "../model/version.js";
import { terminalSafe } from "../render/terminal-safe.js";
import { ManyHostsCapture, runEachHost } from "./capture-hosts.js";
import { COMMANDS, commandsToLoad, DEFAULT_COMMAND } from "./command-registry.js";

async function buildProgram(argv: string[]): Promise<Command> {
  const program = new Command("sockdoc")
    .description(
      "Find, explain and clear CLOSE_WAIT and TIME_WAIT TCP sockets on Linux.\n" +
        "With no command, prints a diagnosis of this host.",
    )
    .version(VERSION, "-V, --version")
    .option("--debug", "print stack traces for errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  // Only the command being run is loaded: start-up time is part of every answer.
  for (const name of commandsToLoad(argv.slice(2))) {
    const load = COMMANDS[name];
    if (load) program.addCommand(await load(), { isDefault: name === DEFAULT_COMMAND });
  }
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride().configureOutput({
      // One line that starts like every other sockdoc error.
      outputError: (text, write) => write(terminalSafe(`sockdoc: ${text.replace(/^error: /, "")}`)),
    });
  }
  return program;
}

/** Error messages quote input (file names, capture lines): terminal-safe. */
function report(err: unknown, debug: boolean): number {
  const write = (text: string): boolean => process.stderr.write(terminalSafe(text));
  if (err instanceof CommanderError) {
    // Commander already printed its message (and help) to stderr.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (debug && err instanceof Error) write(`${err.stack}\n`);
  if (err instanceof SockdocError) {
    write(`sockdoc: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "EPIPE") return EXIT.ok;
  if (e?.code === "EACCES" || e?.code === "EPERM") {
    write(`sockdoc: not permitted: ${e.message}; try again as root (sudo sockdoc ...)\n`);
    return EXIT.permission;
  }
  write(`sockdoc: internal error: ${e?.message ?? String(err)} (run with --debug for details)\n`);
  return EXIT.input;
}

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes("--debug");
  try {
    try {
      await (await buildProgram(argv)).parseAsync(argv);
    } catch (err) {
      if (!(err instanceof ManyHostsCapture)) throw err;
      // A capture of several hosts (sos collect): the command once per host.
      return await runEachHost(err, argv, async () => {
        await (await buildProgram(argv)).parseAsync(argv);
      });
    }
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
