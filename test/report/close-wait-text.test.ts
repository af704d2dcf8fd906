import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildReport } from "../../src/analysis/close-wait/report.js";
import { closeWaitText, headlineText } from "../../src/report/close-wait/text.js";
import { facts, listener, owner, sock } from "../analysis/close-wait/make.js";

const longCmd = `java -cp ${Array.from({ length: 40 }, (_, i) => `/opt/app/lib/dep-${i}.jar`).join(":")} com.example.Main --port 8080`;

function report() {
  const sockets = [
    listener("0.0.0.0:8080", 3, 2, [owner(42, 5, "java")]),
    ...Array.from({ length: 30 }, (_, i) =>
      sock({
        local: "10.0.0.5:8080",
        remote: `10.1.${i}.9:${40000 + i}`,
        recvQ: 0,
        owners: [owner(42, 100 + i, "java")],
      }),
    ),
    sock({ local: "10.0.0.5:8080", remote: "10.0.0.9:2", recvQ: 1, inode: 0 }),
    sock({ local: "10.0.0.5:9090", remote: "10.0.0.9:3", recvQ: 1, owners: [] }),
  ];
  return buildReport({
    sockets,
    facts: new Map([
      [42, facts(42, { comm: "java", cmdline: longCmd, unit: "shop.service", fdCount: 600, fdLimit: 1024 })],
    ]),
    ownersResolved: true,
    deniedCount: 2,
    backlogKnown: true,
    now: 0,
  });
}

describe("closeWaitText", () => {
  const text = closeWaitText(report(), 80);
  const lines = text.split("\n");

  it("fits 80 columns", () => {
    assert.deepEqual(
      lines.filter((l) => l.length > 80),
      [],
    );
  });

  it("describes a process once and refers back to it", () => {
    assert.equal(lines.filter((l) => l.startsWith("  command: ")).length, 1);
    assert.ok(lines.some((l) => l === "  process: java (pid 42), as above"));
    assert.ok(
      lines.some((l) => l.includes(" …")),
      "a long command line is cut",
    );
  });

  it("leads with the worst block and shows each kind of block", () => {
    assert.match(lines[0] ?? "", /^CLOSE_WAIT: 32 sockets in 3 groups, 1 process; worst: critical\./);
    const headers = lines.filter((l) => /(INFO|WARNING|CRITICAL)$/.test(l));
    assert.match(headers[0] ?? "", /^accept queue of 0\.0\.0\.0:8080 \(java, pid 42\) +CRITICAL$/);
    assert.ok(headers.some((h) => /^java, pid 42, user shop, unit shop\.service +WARNING$/.test(h)));
    assert.ok(headers.some((h) => /^owner unknown +INFO$/.test(h)));
    assert.match(text, /listener: backlog 2, accept queue 3 \(FULL: new connections are dropped\)/);
    assert.match(text, /fds: 100-129/);
    assert.match(text, /sockdoc kill state close-wait sport = :8080\n/);
    assert.match(text, /systemctl restart shop\.service/);
  });

  it("says plainly when there is nothing", () => {
    const empty = buildReport({
      sockets: [],
      facts: new Map(),
      ownersResolved: true,
      deniedCount: 0,
      backlogKnown: true,
      now: 0,
    });
    assert.equal(
      headlineText(empty),
      "CLOSE_WAIT: none. No application is sitting on connections its peers closed.",
    );
    assert.equal(closeWaitText(empty, 80), headlineText(empty));
  });
});
