/**
 * @module `sockdoc lab close-wait`: reproduces one CLOSE_WAIT cause on
 * loopback and stays until Ctrl-C (or --duration), for demonstrations,
 * documentation and tests. The work is in actions/lab/close-wait/.
 * `sockdoc lab time-wait`: churns connections in a namespace of its own
 * until its ports run out (actions/lab/time-wait/).
 */
import { Command, Option } from "commander";
import { checkLabOptions, type LabReady, startCloseWaitLab } from "../../actions/lab/close-wait/run-lab.js";
import {
  type ChurnEvent,
  checkTimeWaitLabOptions,
  parsePortSpan,
  startTimeWaitLab,
} from "../../actions/lab/time-wait/run-lab.js";
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

interface LabTimeWaitOptions {
  rate: string;
  duration: string;
  ports?: string;
  json?: boolean;
}

function seconds(t: number, start: number): string {
  return `${((t - start) / 1000).toFixed(1)} s`;
}

/** One progress line a second, and the moment connect() failed. */
function progressText(e: ChurnEvent, start: number): string | null {
  if (e.event === "progress") {
    return (
      `  ${seconds(e.t, start).padStart(7)}  made ${String(e.made).padStart(6)}  ` +
      `TIME_WAIT ${String(e.timeWait).padStart(6)}  ports left ${String(e.portsLeft).padStart(6)}` +
      (Number(e.failed) > 0 ? `  failed ${e.failed}` : "")
    );
  }
  if (e.event === "exhausted") {
    // "Cannot assign requested address": no free local port toward the server.
    return `  ${seconds(e.t, start).padStart(7)}  connect() failed: EADDRNOTAVAIL after ${e.made} connections`;
  }
  return null;
}

function timeWaitLabCommand(): Command {
  const cmd = new Command("time-wait")
    .summary("churn connections in a namespace of its own until its ports run out")
    .description(
      "Open --rate connections a second to a loopback server for --duration seconds,\n" +
        "each closed by the client first, so TIME_WAIT lands on the client's port and\n" +
        "holds it 60 s: at R/s the ports run out after about PORTS / R seconds, and\n" +
        "connect() fails with EADDRNOTAVAIL. Runs inside a network namespace it makes\n" +
        "(sockdoc-lab-tw-PID, removed at the end and on Ctrl-C), whose\n" +
        "ip_local_port_range it sets to --ports and whose tcp_tw_reuse it sets to 0\n" +
        "(with the default 2, loopback connections would reuse TIME_WAIT ports): the\n" +
        "host's sysctls and ports are untouched. Needs root (exit 4 otherwise): it will\n" +
        "not churn the host's own loopback, where it could not set either setting and\n" +
        "would use the host's ports.\n\n" +
        "Prints the namespace, then each second the connections made, TIME_WAIT now and\n" +
        "the ports left, and the moment connect() first fails. Look at it meanwhile with\n" +
        "`sockdoc timewait --netns NAME`. With --json: one line when ready (the\n" +
        "namespace's name) and one document at the end. Exits 0 when the duration is\n" +
        "over or on Ctrl-C.",
    )
    .requiredOption("--rate <r>", "new connections per second (1-20000)")
    .requiredOption("--duration <s>", "seconds to churn (1-3600)")
    .option("--ports <lo-hi>", "the namespace's ephemeral port range, e.g. 40000-41999 (default 32768-60999)")
    .option("--json", "print one JSON line when ready and one document at the end");
  cmd.addHelpText(
    "after",
    "\nExamples:\n" +
      "  sudo sockdoc lab time-wait --rate 200 --duration 20 --ports 40000-41999\n" +
      "  sudo sockdoc timewait --netns sockdoc-lab-tw-PID      (in another terminal)",
  );
  return cmd.action(async (opts: LabTimeWaitOptions) => {
    const options = {
      rate: wholeNumber("--rate", opts.rate),
      durationS: wholeNumber("--duration", opts.duration),
      ports: opts.ports === undefined ? null : parsePortSpan(opts.ports),
    };
    checkTimeWaitLabOptions(options);
    let start = Date.now();
    let exhausted: ChurnEvent | null = null;
    const lab = await startTimeWaitLab(options, (e) => {
      if (e.event === "listening") start = e.t;
      if (e.event === "exhausted") exhausted = e;
      if (!opts.json) {
        const line = progressText(e, start);
        if (line !== null) process.stdout.write(`${line}\n`);
      }
    });
    const interrupted = new Promise<ChurnEvent | null>((resolve) => {
      const onSignal = () => resolve(null);
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      lab.done
        .finally(() => {
          process.removeListener("SIGINT", onSignal);
          process.removeListener("SIGTERM", onSignal);
        })
        .catch(() => {});
    });
    const [lo, hi] = options.ports ?? [32768, 60999];
    const ready = {
      event: "ready",
      netns: lab.netns,
      server: `127.0.0.1:${lab.serverPort}`,
      portRange: [lo, hi],
      rate: options.rate,
      durationS: options.durationS,
      startedAt: new Date(start).toISOString(),
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(ready)}\n`);
    else {
      process.stdout.write(
        [
          `sockdoc lab time-wait: ${options.rate} connections/s for ${options.durationS} s to ${ready.server}`,
          `  namespace: ${lab.netns} (ports ${lo}-${hi}: ${hi - lo + 1}; tcp_tw_reuse 0)`,
          `  expect:    ports out after about ${((hi - lo + 1) / options.rate).toFixed(1)} s`,
          `  look:      sockdoc timewait --netns ${lab.netns}`,
        ].join("\n") + "\n",
      );
    }
    let done: ChurnEvent | null;
    try {
      done = await Promise.race([lab.done, interrupted]);
    } finally {
      lab.stop();
    }
    const failedAt = (exhausted as ChurnEvent | null)?.t ?? null;
    const summary = {
      event: "done",
      reason: done === null ? "interrupted" : "duration reached",
      netns: lab.netns,
      server: ready.server,
      portRange: [lo, hi],
      rate: options.rate,
      durationS: options.durationS,
      startedAt: ready.startedAt,
      made: done?.made ?? null,
      failed: done?.failed ?? null,
      timeWait: done?.timeWait ?? null,
      exhaustedAt: failedAt === null ? null : new Date(failedAt).toISOString(),
      exhaustedAfterSec: failedAt === null ? null : Math.round(failedAt - start) / 1000,
      madeAtExhaustion: (exhausted as ChurnEvent | null)?.made ?? null,
      otherErrors: done?.otherErrors ?? {},
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      const text =
        `lab stopped (${summary.reason}): ${summary.made ?? "?"} connections made, ` +
        `${summary.failed ?? "?"} failed` +
        (failedAt === null
          ? "; the ports did not run out"
          : `; ports ran out after ${summary.exhaustedAfterSec} s`) +
        `; namespace ${lab.netns} removed.`;
      process.stdout.write(`${wrap(text, 80, "", "  ").join("\n")}\n`);
    }
  });
}

export function labCommand(): Command {
  return (
    new Command("lab")
      .summary("reproduce socket problems on loopback (close-wait, time-wait)")
      .description("Reproducers for demonstrations, documentation and tests. Loopback only.")
      .addCommand(closeWaitLabCommand())
      .addCommand(timeWaitLabCommand())
      // main.ts configures error output on the top-level commands; pass it down to ours.
      .hook("preSubcommand", (lab, sub) => {
        sub.copyInheritedSettings(lab);
      })
  );
}
