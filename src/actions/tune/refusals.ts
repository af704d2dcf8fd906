/**
 * @module What `sockdoc tune apply` refuses, before anything is read or
 * written: tcp_tw_recycle always, names outside the allowlist unless
 * --force, and values the kernel would refuse. Each refusal is a UsageError
 * (exit 2) whose one line says why and what to do instead.
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
