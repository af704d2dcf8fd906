/**
 * The advisor's rules, table-driven: each case is a host (kernel release,
 * sysctls, counters, socket facts, config lines) and the findings expected,
 * by id, severity, recommended value and command.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { advise } from "../../../src/analysis/advisor/index.js";
import { suggestedBuckets } from "../../../src/analysis/advisor/rules/tw-buckets.js";
import type { AdvisorInput, Finding, OutgoingPressure } from "../../../src/analysis/advisor/types.js";

const DEFAULTS: Record<string, string> = {
  "net.ipv4.tcp_tw_reuse": "2",
  "net.ipv4.tcp_timestamps": "1",
  "net.ipv4.tcp_fin_timeout": "60",
  "net.ipv4.tcp_max_tw_buckets": "262144",
  "net.ipv4.ip_local_port_range": "32768\t60999",
  "net.ipv4.tcp_keepalive_time": "7200",
  "net.ipv4.tcp_max_syn_backlog": "1024",
  "net.core.somaxconn": "4096",
};

function host(over: Partial<AdvisorInput> & { set?: Record<string, string> } = {}): AdvisorInput {
  const { set, ...rest } = over;
  return {
    kernel: "6.1.0-18-amd64",
    sysctls: { ...DEFAULTS, ...set },
    missing: ["net.ipv4.tcp_tw_recycle", "net.ipv4.tcp_tw_reuse_delay"],
    counters: { "TcpExt.TCPTimeWaitOverflow": 0, "TcpExt.ListenOverflows": 0 },
    facts: {},
    ...rest,
  };
}

const CRITICAL_DEST: OutgoingPressure = {
  destination: "10.0.0.5 -> 10.0.0.7:5432",
  severity: "critical",
  portsInUse: 27000,
  budget: 28232,
  ratePerSec: 480,
  sustainablePerSec: 470.5,
};

type Expect = Pick<Finding, "id" | "severity" | "recommended" | "command">;

const CASES: Array<[string, AdvisorInput, Expect[]]> = [
  ["a quiet host with default settings", host(), []],
  [
    "4.11 with tcp_tw_recycle on: turn it off (sockdoc will not write it)",
    host({
      kernel: "4.11.12",
      missing: [],
      set: { "net.ipv4.tcp_tw_recycle": "1", "net.ipv4.tcp_tw_reuse": "1" },
    }),
    [
      { id: "tw-recycle-on", severity: "critical", recommended: "0", command: null },
      { id: "tw-reuse-explained", severity: "info", recommended: null, command: null },
    ],
  ],
  [
    "4.11 with tcp_tw_recycle 0 and it in config: still there, so sysctl -p works",
    host({
      kernel: "4.11.0",
      missing: [],
      set: { "net.ipv4.tcp_tw_recycle": "0", "net.ipv4.tcp_tw_reuse": "1" },
      config: [
        {
          key: "net.ipv4.tcp_tw_recycle",
          value: "0",
          file: "/etc/sysctl.conf",
          line: 3,
          ignoreErrors: false,
        },
      ],
    }),
    [{ id: "tw-reuse-explained", severity: "info", recommended: null, command: null }],
  ],
  [
    "4.12 with tcp_tw_recycle left in config: sysctl -p fails",
    host({
      kernel: "4.12.0",
      set: { "net.ipv4.tcp_tw_reuse": "1" },
      config: [
        {
          key: "net.ipv4.tcp_tw_recycle",
          value: "1",
          file: "/etc/sysctl.conf",
          line: 7,
          ignoreErrors: false,
        },
      ],
    }),
    [
      { id: "tw-recycle-config", severity: "warning", recommended: null, command: null },
      { id: "tw-reuse-explained", severity: "info", recommended: null, command: null },
    ],
  ],
  [
    "6.14 with a '-' tcp_tw_recycle line: skipped by sysctl, noted",
    host({
      kernel: "6.14.2",
      config: [
        {
          key: "net.ipv4.tcp_tw_recycle",
          value: "0",
          file: "/etc/sysctl.d/x.conf",
          line: 1,
          ignoreErrors: true,
        },
      ],
    }),
    [{ id: "tw-recycle-config-ignored", severity: "info", recommended: null, command: null }],
  ],
  [
    "outgoing pressure with reuse 2 and timestamps on: reuse 1",
    host({ facts: { worstOutgoing: CRITICAL_DEST, timeWait: 27000, outgoingTimeWait: 27000 } }),
    [
      {
        id: "tw-reuse-pressure",
        severity: "critical",
        recommended: "1",
        command: "sockdoc tune apply net.ipv4.tcp_tw_reuse=1",
      },
      {
        id: "port-range-narrow",
        severity: "critical",
        recommended: "10240 65535",
        command: "sockdoc tune apply 'net.ipv4.ip_local_port_range=10240 65535'",
      },
    ],
  ],
  [
    "outgoing pressure with timestamps off: both in one command, and the timestamps finding",
    host({
      set: {
        "net.ipv4.tcp_timestamps": "0",
        "net.ipv4.tcp_tw_reuse": "0",
        "net.ipv4.ip_local_port_range": "1024 65535",
      },
      facts: { worstOutgoing: { ...CRITICAL_DEST, severity: "warning" } },
    }),
    [
      {
        id: "tw-reuse-pressure",
        severity: "warning",
        recommended: "1",
        command: "sockdoc tune apply net.ipv4.tcp_timestamps=1 net.ipv4.tcp_tw_reuse=1",
      },
      {
        id: "timestamps-off",
        severity: "warning",
        recommended: "1",
        command: "sockdoc tune apply net.ipv4.tcp_timestamps=1",
      },
    ],
  ],
  [
    "no outgoing pressure and timestamps off with reuse 0: only noted",
    host({ set: { "net.ipv4.tcp_timestamps": "0", "net.ipv4.tcp_tw_reuse": "0" }, kernel: "4.17.0" }),
    [
      {
        id: "timestamps-off",
        severity: "info",
        recommended: "1",
        command: "sockdoc tune apply net.ipv4.tcp_timestamps=1",
      },
    ],
  ],
  [
    "reuse 0 on 4.18+: the default is 2",
    host({ kernel: "4.18.0", set: { "net.ipv4.tcp_tw_reuse": "0" } }),
    [
      {
        id: "tw-reuse-off",
        severity: "info",
        recommended: "2",
        command: "sockdoc tune apply net.ipv4.tcp_tw_reuse=2",
      },
    ],
  ],
  [
    "reuse 2 with incoming TIME_WAIT: explains 2",
    host({ facts: { timeWait: 500, outgoingTimeWait: 0, worstOutgoing: null } }),
    [{ id: "tw-reuse-loopback", severity: "info", recommended: null, command: null }],
  ],
  [
    "reuse 1 with only incoming TIME_WAIT: it does nothing for them",
    host({ set: { "net.ipv4.tcp_tw_reuse": "1" }, facts: { timeWait: 500, outgoingTimeWait: 0 } }),
    [{ id: "tw-reuse-incoming-only", severity: "info", recommended: null, command: null }],
  ],
  [
    "reuse 1 already, pressure anyway: no reuse advice, range advice stays",
    host({ set: { "net.ipv4.tcp_tw_reuse": "1" }, facts: { worstOutgoing: CRITICAL_DEST } }),
    [
      {
        id: "port-range-narrow",
        severity: "critical",
        recommended: "10240 65535",
        command: "sockdoc tune apply 'net.ipv4.ip_local_port_range=10240 65535'",
      },
      { id: "tw-reuse-explained", severity: "info", recommended: null, command: null },
    ],
  ],
  [
    "a capture without settings, ports running out: reuse and range advised, values unknown",
    host({
      kernel: null,
      sysctls: {},
      // As the CLI reads a capture: every name it lacks is listed missing.
      missing: Object.keys(DEFAULTS),
      counters: null,
      facts: { worstOutgoing: CRITICAL_DEST, timeWait: 27000, outgoingTimeWait: 27000 },
    }),
    [
      {
        id: "tw-reuse-pressure",
        severity: "critical",
        recommended: "1",
        command: "sockdoc tune apply net.ipv4.tcp_tw_reuse=1",
      },
      {
        id: "port-range-narrow",
        severity: "critical",
        recommended: "10240 65535",
        command: "sockdoc tune apply 'net.ipv4.ip_local_port_range=10240 65535'",
      },
    ],
  ],
  [
    "a capture without settings and no pressure: nothing to say about them",
    host({ kernel: null, sysctls: {}, missing: [], counters: null, facts: { timeWait: 10 } }),
    [],
  ],
  [
    "a range already wide: no range advice",
    host({
      set: { "net.ipv4.tcp_tw_reuse": "1", "net.ipv4.ip_local_port_range": "1024 65535" },
      facts: { worstOutgoing: CRITICAL_DEST },
    }),
    [{ id: "tw-reuse-explained", severity: "info", recommended: null, command: null }],
  ],
  [
    "the article's tw_reuse and fin_timeout lines in config: explained at their line, not again for the running values",
    host({
      set: { "net.ipv4.tcp_tw_reuse": "1", "net.ipv4.tcp_fin_timeout": "90" },
      config: [
        { key: "net.ipv4.tcp_tw_reuse", value: "1", file: "/etc/sysctl.conf", line: 2, ignoreErrors: false },
        {
          key: "net.ipv4.tcp_fin_timeout",
          value: "90",
          file: "/etc/sysctl.conf",
          line: 3,
          ignoreErrors: false,
        },
      ],
    }),
    [
      { id: "explained-config", severity: "info", recommended: null, command: null },
      { id: "explained-config", severity: "info", recommended: null, command: null },
    ],
  ],
  [
    "tcp_fin_timeout lowered, quiet host: info, no value to set",
    host({ set: { "net.ipv4.tcp_fin_timeout": "10" } }),
    [{ id: "fin-timeout-not-time-wait", severity: "info", recommended: null, command: null }],
  ],
  [
    "TIME_WAIT overflowed the buckets",
    host({
      counters: { "TcpExt.TCPTimeWaitOverflow": 12 },
      set: { "net.ipv4.tcp_max_tw_buckets": "5000", "net.ipv4.tcp_tw_reuse": "1" },
      facts: { timeWait: 4000 },
    }),
    [
      {
        id: "tw-buckets-overflow",
        severity: "warning",
        recommended: "262144",
        command: "sockdoc tune apply net.ipv4.tcp_max_tw_buckets=262144",
      },
      { id: "tw-reuse-explained", severity: "info", recommended: null, command: null },
    ],
  ],
  [
    "TIME_WAIT at 80% of the buckets, no overflow yet",
    host({ set: { "net.ipv4.tcp_tw_reuse": "1" }, facts: { timeWait: 210000 } }),
    [
      {
        id: "tw-buckets-near",
        severity: "warning",
        recommended: "524288",
        command: "sockdoc tune apply net.ipv4.tcp_max_tw_buckets=524288",
      },
      { id: "tw-reuse-explained", severity: "info", recommended: null, command: null },
    ],
  ],
  [
    "CLOSE_WAIT: no sysctl, the kill command",
    host({ facts: { closeWait: 3 } }),
    [
      {
        id: "close-wait-no-sysctl",
        severity: "warning",
        recommended: null,
        command: "sockdoc kill state close-wait",
      },
    ],
  ],
  [
    "a full accept queue capped by somaxconn 128 on 5.4+: 4096, with the SYN backlog",
    host({
      kernel: "5.4.0",
      set: { "net.core.somaxconn": "128", "net.ipv4.tcp_max_syn_backlog": "256" },
      counters: { "TcpExt.ListenOverflows": 900 },
      facts: { listeners: [{ local: "0.0.0.0:8080", backlog: 128, queued: 129 }] },
    }),
    [
      {
        id: "backlog-somaxconn",
        severity: "warning",
        recommended: "4096",
        command: "sockdoc tune apply net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096",
      },
    ],
  ],
  [
    "a full accept queue below somaxconn: the application's backlog",
    host({ facts: { listeners: [{ local: "[::]:9000", backlog: 50, queued: 51 }] } }),
    [{ id: "backlog-app-limited", severity: "info", recommended: null, command: null }],
  ],
  [
    "listeners without overflow: nothing",
    host({ facts: { listeners: [{ local: "0.0.0.0:80", backlog: 4096, queued: 3 }] } }),
    [],
  ],
];

describe("advisor rules", () => {
  for (const [name, input, expected] of CASES) {
    it(name, () => {
      const got = advise(input).findings.map(({ id, severity, recommended, command }) => ({
        id,
        severity,
        recommended,
        command,
      }));
      assert.deepEqual(got, expected);
    });
  }

  it("an unknown value under pressure is reported as unknown (current null), at the pressure's severity", () => {
    const warning = { ...CRITICAL_DEST, severity: "warning" as const };
    const r = advise(host({ sysctls: {}, missing: [], facts: { worstOutgoing: warning } }));
    assert.deepEqual(
      r.findings.map((f) => [f.id, f.severity, f.current]),
      [
        ["tw-reuse-pressure", "warning", null],
        ["port-range-narrow", "warning", null],
      ],
    );
    for (const f of r.findings) assert.match(f.why, /unknown \(not in the capture/);
  });

  it("orders findings worst first and reports the worst severity", () => {
    const r = advise(
      host({
        kernel: "4.9.0",
        missing: [],
        set: {
          "net.ipv4.tcp_tw_recycle": "1",
          "net.ipv4.tcp_fin_timeout": "5",
          "net.ipv4.tcp_tw_reuse": "1",
        },
        facts: { closeWait: 2 },
      }),
    );
    assert.deepEqual(
      r.findings.map((f) => f.severity),
      ["critical", "warning", "info", "info"],
    );
    assert.equal(r.severity, "critical");
    assert.equal(advise(host()).severity, "none");
  });

  it("mentions tcp_tw_reuse_delay where the kernel has it (6.14+), about 1 s before", () => {
    const on614 = advise(
      host({
        kernel: "6.14.0",
        missing: [],
        set: { "net.ipv4.tcp_tw_reuse_delay": "250" },
        facts: { worstOutgoing: CRITICAL_DEST },
      }),
    ).findings[0]!;
    assert.match(on614.why, /older than 250 ms \(net\.ipv4\.tcp_tw_reuse_delay\)/);
    const on61 = advise(host({ facts: { worstOutgoing: CRITICAL_DEST } })).findings[0]!;
    assert.match(on61.why, /older than about 1 s/);
  });

  it("says CLOSE_WAIT is not fixed by keepalive, even when it was lowered", () => {
    const f = advise(host({ set: { "net.ipv4.tcp_keepalive_time": "60" }, facts: { closeWait: 1500 } }))
      .findings[0]!;
    assert.equal(f.severity, "critical");
    assert.equal(f.setting, null);
    assert.match(f.why, /No sysctl ends CLOSE_WAIT/);
    assert.match(f.why, /keepalive does not release it \(even at tcp_keepalive_time 60\)/);
  });

  it("an unknown kernel release takes the cautious branch (no 'gone since 4.12' guess)", () => {
    const cfg = [{ key: "net.ipv4.tcp_tw_recycle", value: "1", file: "f", line: 1, ignoreErrors: false }];
    // Unknown release, but the kernel lacks the file: it is gone.
    assert.equal(advise(host({ kernel: null, config: cfg })).findings[0]?.id, "tw-recycle-config");
    // Unknown release and the file exists: nothing said about the config line.
    assert.deepEqual(
      advise(host({ kernel: null, missing: [], set: { "net.ipv4.tcp_tw_recycle": "0" }, config: cfg }))
        .findings,
      [],
    );
  });

  it("suggests bucket caps as powers of two, at least 262144", () => {
    assert.equal(suggestedBuckets(120, 100), 262144);
    assert.equal(suggestedBuckets(262144, 0), 524288);
    assert.equal(suggestedBuckets(1000, 300000), 1048576);
  });
});
