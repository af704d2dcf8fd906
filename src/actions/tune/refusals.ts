/**
 * @module What `sockdoc tune apply` refuses, before anything is read or
 * written: tcp_tw_recycle always, names outside the allowlist unless
 * --force, and values the kernel would refuse. `rollback` refuses the same
 * for the old values it would write: a journal is only a list of writes,
 * and one apply could not have made (kernel.core_pattern = "|/tmp/x %p"
 * runs a program as root at the next crash) is not rolled back either.
 * Each refusal is a UsageError (exit 2) whose one line says why and what
 * to do instead.
 */
import { APPLY_ALLOWLIST, TW_RECYCLE } from "../../analysis/advisor/known-settings.js";
import { type ValueContext, valueProblem } from "../../analysis/advisor/setting-value.js";
import { UsageError } from "../../model/errors.js";
import type { Assignment } from "./assignments.js";

export function checkAssignment(a: Assignment, force: boolean, ctx: ValueContext): void {
  if (a.name === TW_RECYCLE) {
    throw new UsageError(
      `refusing ${TW_RECYCLE}: it drops connections from clients behind NAT and was removed in ` +
        `Linux 4.12; for outgoing TIME_WAIT use net.ipv4.tcp_tw_reuse=1 (an old kernel that still ` +
        `has it: turn it off with sysctl -w ${TW_RECYCLE}=0)`,
    );
  }
  if (!force && !APPLY_ALLOWLIST.includes(a.name)) {
    throw new UsageError(
      `refusing ${a.name}: not one of the settings sockdoc tunes (see \`sockdoc tune apply --help\`); ` +
        "add --force to write it anyway",
    );
  }
  const problem = valueProblem(a.name, a.value, ctx);
  if (problem)
    throw new UsageError(`refusing ${a.name}=${a.value}: the kernel would refuse it: ${a.name} ${problem}`);
}

/** The old values a rollback of batch would write, checked as apply checks what it writes. */
export function checkRollback(
  batch: string,
  changes: ReadonlyArray<{ name: string; old: string }>,
  force: boolean,
  ctx: ValueContext,
): void {
  for (const c of changes) {
    try {
      checkAssignment({ name: c.name, value: c.old }, force, ctx);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      throw new UsageError(`rollback of batch ${batch}: ${err.message}; nothing was changed`, { cause: err });
    }
  }
}
