/**
 * @module The FILTER of `history`: words that narrow what it shows (pure).
 * `pid N`, `port N` (a group's port, either end of a destination), `netns
 * NAME`, `comm NAME`; any other word must appear in the row's text (owner,
 * command line, unit, addresses, an event's text). All words must match.
 */
import type { History, HistoryCloseWait, HistoryEvent, HistoryFinding, HistoryTimeWait } from "./history.js";

type Test = {
  closeWait: (g: HistoryCloseWait) => boolean;
  timeWait: (d: HistoryTimeWait) => boolean;
  event: (e: HistoryEvent) => boolean;
  /** Findings name no process or port: only netns and words narrow them. */
  finding: (f: HistoryFinding) => boolean;
};

const portOf = (end: string): number | null => {
  const m = /:(\d+)$/.exec(end);
  return m ? Number(m[1]) : null;
};

function compile(words: readonly string[]): Test[] {
  const tests: Test[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const value = words[i + 1];
    if ((word === "pid" || word === "port") && value !== undefined && /^\d+$/.test(value)) {
      const n = Number(value);
      i++;
      if (word === "pid") {
        const re = new RegExp(`\\bpid ${n}\\b`);
        tests.push({
          closeWait: (g) => g.owner.pid === n,
          timeWait: () => false,
          event: (e) => re.test(e.text),
          finding: () => false,
        });
      } else {
        const re = new RegExp(`(port |:)${n}\\b`);
        tests.push({
          closeWait: (g) => g.localPort === n || g.peerPort === n,
          timeWait: (d) => portOf(d.local) === n || portOf(d.remote) === n,
          event: (e) => re.test(e.text),
          finding: () => false,
        });
      }
      continue;
    }
    if ((word === "netns" || word === "comm") && value !== undefined) {
      i++;
      if (word === "netns") {
        tests.push({
          closeWait: (g) => g.netns === value,
          timeWait: (d) => d.netns === value,
          event: (e) => e.netns === value,
          finding: (f) => f.netns === value,
        });
      } else {
        tests.push({
          closeWait: (g) => g.owner.comm === value,
          timeWait: () => false,
          event: (e) => e.text.startsWith(`${value} `),
          finding: () => false,
        });
      }
      continue;
    }
    const has = (...texts: Array<string | number | null>) =>
      texts.some((t) => t !== null && String(t).includes(word));
    tests.push({
      closeWait: (g) =>
        has(g.owner.comm, g.owner.cmdline, g.owner.unit, g.netns, g.cause, g.localPort, g.peerPort),
      timeWait: (d) => has(d.local, d.remote, d.netns),
      event: (e) => has(e.text, e.kind, e.netns),
      finding: (f) => has(f.id, f.severity, f.setting, f.why, f.netns),
    });
  }
  return tests;
}

export function filterHistory(h: History, words: readonly string[]): History {
  if (words.length === 0) return h;
  const tests = compile(words);
  return {
    ...h,
    closeWait: h.closeWait.filter((g) => tests.every((t) => t.closeWait(g))),
    timeWait: h.timeWait.filter((d) => tests.every((t) => t.timeWait(d))),
    events: h.events.filter((e) => tests.every((t) => t.event(e))),
    findings: h.findings.filter((f) => tests.every((t) => t.finding(f))),
  };
}
