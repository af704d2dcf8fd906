/**
 * @module Turns a CLOSE_WAIT sample (and the tracker of earlier samples)
 * into the report, the one code path shared by `sockdoc closewait` and the
 * default `sockdoc` diagnosis.
 */
import { buildReport, type CloseWaitReport } from "../../analysis/close-wait/report.js";
import type { CloseWaitTracker } from "../../analysis/close-wait/tracker.js";
import type { CloseWaitSample } from "./collect.js";

export function reportFor(sample: CloseWaitSample, tracker: CloseWaitTracker | null): CloseWaitReport {
  return buildReport({
    sockets: sample.snapshot.sockets,
    facts: sample.facts,
    tracker,
    now: sample.snapshot.takenAt,
    ownersResolved: sample.snapshot.ownersResolved,
    deniedCount: sample.deniedCount,
    backlogKnown: sample.snapshot.source.kind === "netlink",
    userOf: (uid) => sample.users.get(uid) ?? null,
    goBinaries: sample.goBinaries,
    ...(sample.ephemeral ? { ephemeral: sample.ephemeral } : {}),
  });
}
