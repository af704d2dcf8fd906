/**
 * @module The golden cases: every reporting command, in text and JSON, on the
 * fixture /proc trees and on captures (the repository's and the real ones in
 * ../shared/captures, used in place), on stdin, and a few errors. Paths are
 * relative to the repository root, where each case runs.
 */

export interface GoldenCase {
  /** Also the file name under test/fixtures/golden/ (with .out). */
  name: string;
  args: string[];
  /** A file whose content is piped to sockdoc's stdin (relative to the repository root). */
  stdin?: string;
}

const SHARED = "../shared/captures";

/** Each command in text and JSON (metrics has no JSON). */
const EVERY_COMMAND: string[][] = [
  [],
  ["--json"],
  ["summary"],
  ["summary", "--json"],
  ["summary", "-p"],
  ["summary", "-p", "--json"],
  ["ls"],
  ["ls", "--json"],
  ["ls", "-p", "-o"],
  ["ls", "-p", "-o", "--json"],
  ["ls", "state", "close-wait", "--format", "csv"],
  ["closewait"],
  ["closewait", "--json"],
  ["timewait"],
  ["timewait", "--json"],
  ["timewait", "--all"],
  ["timewait", "--all", "--json"],
  ["metrics"],
  ["metrics", "-p"],
];

/** A second /proc tree: 100 TIME_WAIT toward one destination, near tcp_max_tw_buckets. */
const SOME_COMMANDS: string[][] = [
  [],
  ["--json"],
  ["summary", "-p"],
  ["ls", "-p", "-o"],
  ["ls", "state", "close-wait", "--format", "csv"],
  ["closewait"],
  ["closewait", "--json"],
  ["timewait"],
  ["timewait", "--json"],
  ["metrics", "-p"],
];

/** For each single-file capture: the report both ways, then one form of each command. */
const CAPTURE_COMMANDS: string[][] = [
  [],
  ["--json"],
  ["summary", "-p", "--json"],
  ["ls", "-p", "-o"],
  ["closewait", "--json"],
  ["timewait", "--all", "--json"],
  ["metrics", "-p"],
];

/** A file name: the words joined by "_", the default command named "report". */
function caseName(tag: string, command: string[]): string {
  const words = command.length === 0 || command[0]!.startsWith("-") ? ["report", ...command] : command;
  return [tag, ...words].join("_").replace(/[^A-Za-z0-9.=-]+/g, "_");
}

function on(tag: string, source: string[], commands: string[][]): GoldenCase[] {
  return commands.map((command) => ({ name: caseName(tag, command), args: [...command, ...source] }));
}

const captureFiles: Array<[tag: string, path: string]> = [
  ["solaris-an", "test/fixtures/capture/netstat-solaris-an.txt"],
  ["proc-tcp-old", `${SHARED}/shreyash-Webpage__proc-net-tcp_old-kernel_timewait_closewait.txt`],
  ["proc-tcp6-tw", `${SHARED}/jc__proc-net-tcp6_timewait.txt`],
  ["win10-aon", `${SHARED}/jc__windows10_netstat-aon_crlf.txt`],
  ["coreos-ss", `${SHARED}/coreos-sosreport__ss_-peaonmi.txt`],
  ["insights-ss", `${SHARED}/insights-core__ss-tupna_timewait_estab.txt`],
  ["datadog-netstat", `${SHARED}/datadog-integrations-core__netstat_linux_all_states.txt`],
];

const STDIN_CAPTURE = `${SHARED}/shreyash-Webpage__proc-net-tcp_old-kernel_timewait_closewait.txt`;
const HOST1 = ["--proc-root", "test/fixtures/proc/host1"];
const MISSING = "test/fixtures/capture/no-such-capture.txt";

export const GOLDEN_CASES: GoldenCase[] = [
  ...on("host1", HOST1, EVERY_COMMAND),
  ...on("busy-proc", ["--proc-root", "test/fixtures/tune/busy-proc"], SOME_COMMANDS),
  ...on("sosreport-min", ["--input", "test/fixtures/capture/sosreport-min"], EVERY_COMMAND),
  ...captureFiles.flatMap(([tag, path]) => on(tag, ["--input", path], CAPTURE_COMMANDS)),
  // Filters and -4/-6: done by the kernel's state mask or by the filter, on /proc and on a capture.
  ...on("host1", HOST1, [
    ["summary", "-4"],
    ["ls", "-6", "--json"],
    ["ls", "exclude", "listen", "-p"],
    ["closewait", "sport", "=", ":3000"],
    ["timewait", "dport", "=", ":5432", "--json"],
  ]),
  ...on(
    "insights-ss",
    ["--input", `${SHARED}/insights-core__ss-tupna_timewait_estab.txt`],
    [["summary", "state", "time-wait"]],
  ),
  // The captures with CLOSE_WAIT sockets, in the closewait text form too.
  ...on("solaris-an", ["--input", "test/fixtures/capture/netstat-solaris-an.txt"], [["closewait"]]),
  ...on("proc-tcp-old", ["--input", STDIN_CAPTURE], [["closewait"]]),
  // stdin is read once however many analyses use it.
  { name: "stdin_report", args: ["--input", "-"], stdin: STDIN_CAPTURE },
  { name: "stdin_report_--json", args: ["--json", "--input", "-"], stdin: STDIN_CAPTURE },
  { name: "stdin_metrics", args: ["metrics", "--input", "-"], stdin: STDIN_CAPTURE },
  { name: "stdin_metrics_-p", args: ["metrics", "-p", "--input", "-"], stdin: STDIN_CAPTURE },
  // Errors: one line on stderr and the documented exit code.
  { name: "error_ls_bad-state", args: ["ls", "state", "bogus", ...HOST1] },
  { name: "error_timewait_bad-port", args: ["timewait", "dport", "=", ":99999", ...HOST1] },
  { name: "error_closewait_unclosed-paren", args: ["closewait", "(", "sport", "=", ":3000", ...HOST1] },
  { name: "error_summary_bad-format", args: ["summary", "--format", "xml", ...HOST1] },
  { name: "error_ls_input-and-proc-root", args: ["ls", "--input", "-", ...HOST1] },
  { name: "error_report_missing-input", args: ["--input", MISSING] },
  { name: "error_summary_missing-input_--json", args: ["summary", "--json", "--input", MISSING] },
  { name: "error_metrics_missing-input", args: ["metrics", "--input", MISSING] },
  {
    name: "error_closewait_unknown-format",
    args: ["closewait", "--input", "test/fixtures/capture/README.md"],
  },
  { name: "error_stdin_empty", args: ["--input", "-"], stdin: "/dev/null" },
];
