/**
 * @module From NAME=VALUE to changes: refusals first (refusals.ts), then the
 * current value of each; a name the kernel lacks is refused with the kernel
 * version it arrived in, when known, and a host-wide net.* name missing
 * because this is another network namespace says so (the kernel registers
 * those for the host's namespace only). Values already in place are set apart.
 */
import { knownSetting } from "../../analysis/advisor/known-settings.js";
import { parseKernelInt, sameValue, type ValueContext } from "../../analysis/advisor/setting-value.js";
import { PermissionError, UsageError } from "../../model/errors.js";
import type { Assignment } from "./assignments.js";
import { checkAssignment } from "./refusals.js";
import { errnoOf, type SysctlIo } from "./sysctl-io.js";
import type { Change, ChangeResult } from "./types.js";

export interface Plan {
  changes: Change[];
  unchanged: Change[];
}

/** A dry run's report of a plan: what would be written, then what is already so. */
export function dryRunResults(plan: Plan): ChangeResult[] {
  return [
    ...plan.changes.map((c): ChangeResult => ({ ...c, outcome: "would-apply", error: null })),
    ...plan.unchanged.map((c): ChangeResult => ({ ...c, outcome: "unchanged", error: null })),
  ];
}

/** The current value; refusals for a missing name or one that cannot be read. */
export function currentValue(io: SysctlIo, name: string, kernel: string | null): string {
  try {
    return io.read(name);
  } catch (err) {
    const code = errnoOf(err);
    if (code === "ENOENT" || code === "ENOTDIR") {
      const spec = knownSetting(name);
      if (spec?.perNetns === false && name.startsWith("net.")) {
        throw new UsageError(
          `${name} exists only in the host's network namespace, not in this one (it is one value ` +
            "for the whole host): run this outside `ip netns exec`; nothing was changed",
        );
      }
      const since = spec?.since;
      throw new UsageError(
        `${kernel ? `this kernel (${kernel})` : "this kernel"} has no ${name}` +
          `${since ? ` (it arrived in Linux ${since})` : ""}; nothing was changed`,
      );
    }
    if (code === "EACCES" || code === "EPERM") {
      throw new PermissionError(`cannot read ${name} (${code}); run as root (sudo)`);
    }
    throw err;
  }
}

/** What the value checks need from the kernel (apply's and rollback's). */
export function valueContext(io: SysctlIo): ValueContext {
  let start: number | null = null;
  try {
    start = parseKernelInt(io.read("net.ipv4.ip_unprivileged_port_start"));
  } catch {
    // Older kernels (before 4.11) lack it: the checks then assume 1024.
  }
  return start === null ? {} : { unprivilegedPortStart: start };
}

export function planChanges(
  io: SysctlIo,
  wanted: readonly Assignment[],
  opts: { force: boolean; kernel: string | null },
): Plan {
  const ctx = valueContext(io);
  for (const a of wanted) checkAssignment(a, opts.force, ctx);
  const plan: Plan = { changes: [], unchanged: [] };
  for (const a of wanted) {
    const old = currentValue(io, a.name, opts.kernel);
    const change = { name: a.name, old, new: a.value };
    if (sameValue(a.name, old, a.value)) plan.unchanged.push(change);
    else plan.changes.push(change);
  }
  return plan;
}
