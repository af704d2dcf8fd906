/**
 * @module The `history --json` document: ISO times, the names the issue
 * fixed (closeWait, timeWait, events), plus states, the advisor's findings
 * and the db's host.
 */
import { SCHEMA_VERSION } from "../../render/envelope.js";
import type { History } from "../../store/history.js";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function historyJson(db: string, h: History, warnings: string[]) {
  return {
    schema: `sockdoc.history/v${SCHEMA_VERSION}`,
    db,
    host: { hostname: h.hostname },
    from: iso(h.from),
    to: iso(h.to),
    rawSamples: h.samples,
    warnings,
    closeWait: h.closeWait.map((g) => ({
      netns: g.netns,
      owner: g.owner,
      localPort: g.localPort,
      peerPort: g.peerPort,
      cause: g.cause,
      firstSeen: iso(g.firstSeen),
      enteredCloseWait: g.enteredCloseWait === null ? null : iso(g.enteredCloseWait),
      lastSeen: iso(g.lastSeen),
      peak: g.peak,
      last: g.last,
      now: g.now,
    })),
    timeWait: h.timeWait.map((d) => ({
      netns: d.netns,
      local: d.local,
      remote: d.remote,
      peakCount: d.peakCount,
      minPortsLeft: d.minPortsLeft,
      at: iso(d.at),
    })),
    states: h.states,
    events: h.events.map((e) => ({ time: iso(e.time), netns: e.netns, kind: e.kind, text: e.text })),
    findings: h.findings.map((f) => ({
      netns: f.netns,
      id: f.id,
      severity: f.severity,
      setting: f.setting,
      current: f.current,
      recommended: f.recommended,
      why: f.why,
      command: f.command,
      firstSeen: iso(f.firstSeen),
      lastSeen: iso(f.lastSeen),
      present: f.present,
    })),
  };
}
