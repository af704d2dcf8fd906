/**
 * @module Running the archive tools (tar, unzip) with their failures turned
 * into one-line InputErrors (exit 3).
 */
import { spawnSync } from "node:child_process";
import { InputError } from "../model/errors.js";

/** Time a tool may take for one step (listing or extracting a big archive). */
const TOOL_TIMEOUT_MS = 300_000;

export interface ToolRun {
  /** "list", "extract", "read": said in the error. */
  what: string;
  /** The archive as the user named it. */
  shown: string;
  /** The tool named in errors (unzip when it runs under prlimit). */
  tool?: string;
  /** The Debian package to install when the command is missing. */
  pkg: string;
  /** Exit codes that still mean success (unzip's 1: warnings only). */
  okStatus?: number[];
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}

/** The tool's stdout; InputError when it cannot run, fails or passes its file-size limit. */
export function runArchiveTool(command: string, args: string[], run: ToolRun): string {
  const r = spawnSync(command, args, {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: TOOL_TIMEOUT_MS,
  });
  const tool = run.tool ?? command;
  const where = `cannot ${run.what} ${run.shown}`;
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    const why = missing
      ? `${command} not found (install the ${run.pkg} package)`
      : `${tool}: ${r.error.message}`;
    throw new InputError(`${where}: ${why}`, { cause: r.error });
  }
  if (r.signal === "SIGXFSZ")
    throw new InputError(`${run.shown}: a member is larger than its header says, not read`);
  if (r.status !== 0 && !(run.okStatus ?? []).includes(r.status ?? -1)) {
    throw new InputError(
      `${where}: ${tool}: ${firstLine(r.stderr) || firstLine(r.stdout) || `exit ${r.status}`}`,
    );
  }
  return r.stdout;
}
