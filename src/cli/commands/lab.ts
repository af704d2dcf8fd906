/**
 * @module `sockdoc lab close-wait`: reproduces one CLOSE_WAIT cause on
 * loopback and stays until Ctrl-C (or --duration), for demonstrations,
 * documentation and tests. The work is in actions/lab/close-wait/.
 */
import { Command, Option } from "commander";
import { checkLabOptions, type LabReady, startCloseWaitLab } from "../../actions/lab/close-wait/run-lab.js";
import { CAUSES } from "../../analysis/close-wait/types.js";
import { InputError, UsageError } from "../../model/errors.js";
import { ProcFs } from "../../sources/procfs.js";
import { wrap } from "../../report/wrap.js";

interface LabCloseWaitOptions {
  cause: string;
  count: string;
  port: string;
  ipv6?: boolean;
  duration?: string;
  every?: string;
  json?: boolean;
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0) {
    throw new UsageError(`${flag} wants a whole number, not "${value}"`);
  }
  return n;
}

function readyText(r: LabReady, durationS: number | null, everyS: number | null): string {
  const host = r.host.includes(":") ? `[${r.host}]` : r.host;
  return [
    `sockdoc lab close-wait: ${r.cause}`,
    `  server:  ${r.server} pid ${r.serverPid} on ${host}:${r.port}`,
    ...wrap(r.defect, 80, "  defect:  ", "           "),
    `  sockets: ${r.count} server-side CLOSE_WAIT with Recv-Q ${r.recvQ}` +
      (r.cause === "not-accepted" ? " and no fd (inode 0)" : ""),
    `  clients: pid ${r.clientPid} (this process), half-closed, in FIN_WAIT2`,
    ...(everyS === null ? [] : [`  growth:  one more connection every ${everyS} s`]),
    `  look:    sockdoc closewait sport = :${r.port}`,
    durationS === null
      ? "Ctrl-C stops the lab and removes its sockets."
      : `Stops by itself in ${durationS} s.`,
  ].join("\n");
}

/** Resolves on Ctrl-C, SIGTERM, the end of the duration, or the server dying (rejects). */
function untilStopped(durationS: number | null, serverExited: Promise<number | null>): Promise<string> {
  return new Promise((resolve, reject) => {
    const done = (why: string) => {
      process.removeListener("SIGINT", onInt);
      process.removeListener("SIGTERM", onTerm);
      clearTimeout(timer);
      resolve(why);
    };
    const onInt = () => done("interrupted");
    const onTerm = () => done("terminated");
    process.once("SIGINT", onInt);
    process.once("SIGTERM", onTerm);
    const timer =
      durationS === null ? undefined : setTimeout(() => done("duration reached"), durationS * 1000);
    serverExited.then((code) => {
      process.removeListener("SIGINT", onInt);
      process.removeListener("SIGTERM", onTerm);
      clearTimeout(timer);
      reject(new InputError(`lab server exited unexpectedly (code ${code})`));
    });
  });
}

function closeWaitLabCommand(): Command {
  const cmd = new Command("close-wait")
    .summary("start a loopback server that leaks CLOSE_WAIT sockets for one cause")
    .description(
      "Start a server on loopback with one CLOSE_WAIT defect, in a child process,\n" +
        "and clients (in this process) that connect and half-close, so the server's\n" +
        "sockets sit in CLOSE_WAIT. Prints the server's pid and port once every socket\n" +
        "shows the cause, then stays until Ctrl-C (or --duration) and removes its\n" +
        "server and sockets.\n\n" +
        "Causes and how they are made:\n" +
        "  eof-not-closed  Node net.Server with allowHalfOpen: true that reads to the\n" +
        "                  end and never calls end(): Recv-Q 0\n" +
        "  fin-unread      Node net.Server with pauseOnConnect: true: never reads;\n" +
        "                  Recv-Q 1 (the FIN)\n" +
        "  data-unread     the same server; clients send 100 bytes first: Recv-Q 101\n" +
        "  not-accepted    a python3 listener (backlog = --count) that never calls\n" +
        "                  accept(), since Node always accepts: no fd (inode 0); the\n" +
        "                  connections wait in the listener's accept queue",
    )
    .addOption(new Option("--cause <cause>", "the defect to reproduce").choices(CAUSES).makeOptionMandatory())
    .option("--count <n>", "connections to leave in CLOSE_WAIT", "5")
    .addOption(new Option("--port <port>", "server port").default("0", "any free port"))
    .option("--ipv6", "use ::1 instead of 127.0.0.1")
    .option("--duration <s>", "stop after S seconds instead of waiting for Ctrl-C")
    .option(
      "--every <s>",
      "leak one more connection every S seconds, to watch growth (for not-accepted the queue fills up)",
    )
    .option("--json", "print one JSON line when ready and one when stopped (for scripts and tests)");
  cmd.addHelpText(
    "after",
    "\nExamples:\n" +
      "  sockdoc lab close-wait --cause fin-unread --count 20\n" +
      "  sockdoc lab close-wait --cause not-accepted --count 3 --port 9099 --json\n" +
      "  sockdoc lab close-wait --cause eof-not-closed --every 2 --duration 120 &\n" +
      "  sockdoc closewait --interval 10 --count 3",
  );
  return cmd.action(async (opts: LabCloseWaitOptions) => {
    const options = {
      cause: opts.cause,
      count: wholeNumber("--count", opts.count),
      port: wholeNumber("--port", opts.port),
      host: opts.ipv6 ? ("::1" as const) : ("127.0.0.1" as const),
    };
    const somaxconn = Number(new ProcFs().tryRead("sys", "net", "core", "somaxconn") ?? Number.NaN);
    checkLabOptions(options, Number.isFinite(somaxconn) ? somaxconn : null);
    const durationS = opts.duration === undefined ? null : wholeNumber("--duration", opts.duration);
    const everyS = opts.every === undefined ? null : Number(opts.every);
    if (everyS !== null && !(everyS >= 0.05 && everyS <= 3600)) {
      throw new UsageError(`--every wants seconds from 0.05 to 3600, not "${opts.every}"`);
    }
    const lab = await startCloseWaitLab(options);
    const grower =
      everyS === null
        ? undefined
        : setInterval(() => {
            lab.addClient().catch(() => {});
          }, everyS * 1000);
    // Listen for Ctrl-C before saying ready, so a script that signals at once is heard.
    const stopped = untilStopped(durationS, lab.serverExited);
    if (opts.json) process.stdout.write(`${JSON.stringify({ event: "ready", ...lab.ready })}\n`);
    else process.stdout.write(`${readyText(lab.ready, durationS, everyS)}\n`);
    try {
      const why = await stopped;
      await lab.stop();
      if (opts.json) process.stdout.write(`${JSON.stringify({ event: "stopped", reason: why })}\n`);
      else process.stdout.write(`lab stopped (${why}); server and sockets removed.\n`);
    } finally {
      clearInterval(grower);
      await lab.stop();
    }
  });
}

export function labCommand(): Command {
  return (
    new Command("lab")
      .summary("reproduce socket problems on loopback (close-wait)")
      .description("Reproducers for demonstrations, documentation and tests. Loopback only.")
      .addCommand(closeWaitLabCommand())
      // main.ts configures error output on the top-level commands; pass it down to ours.
      .hook("preSubcommand", (lab, sub) => {
        sub.copyInheritedSettings(lab);
      })
  );
}
