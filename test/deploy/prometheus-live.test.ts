/**
 * The shipped rules against a real Prometheus (Debian's package), all
 * inside a network namespace the test makes: sockdoc's exporter on
 * loopback, a Prometheus of the test's own (its config, its data dir in a
 * temp dir, 2 s scrapes, 1 s evaluations) with deploy/prometheus's rules.
 * Connection churn through a port range narrowed in the namespace (never
 * the host's) makes the port alert go pending; a lab CLOSE_WAIT leak shows
 * in a query with its count. Every process is the test's own and is stopped.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createNetns, isRoot, repoRoot, sockdocBin } from "../support/run.js";
import { needs, rulesFile } from "./support.js";

const EXPORTER = "127.0.0.1:9923";
const PROMETHEUS = "127.0.0.1:9090";
/** 100 ephemeral ports in the namespace; the churn leaves 95 of them in TIME_WAIT toward one destination. */
const PORT_RANGE = "40000 40099";
const CHURN = 95;
const DESTINATION_PORT = 5432;
const LAB_COUNT = 3;

const skip = !isRoot ? "needs root for ip netns" : needs("prometheus") || needs("promtool");

/** First stdout (or stderr) line of a child that matches, within ms. */
async function lineOf(
  child: ChildProcess,
  stream: "stdout" | "stderr",
  match: RegExp,
  ms: number,
): Promise<string> {
  const lines = createInterface({ input: child[stream]! });
  const timer = sleep(ms).then(() => {
    throw new Error(`no line matching ${match} within ${ms} ms`);
  });
  const found = new Promise<string>((resolve, reject) => {
    lines.on("line", (l) => match.test(l) && resolve(l));
    child.once("exit", (code) => reject(new Error(`exited with ${code} before ${match}`)));
  });
  try {
    return await Promise.race([found, timer]);
  } finally {
    lines.close();
  }
}

describe("the shipped rules on a real Prometheus", { skip, timeout: 55_000 }, () => {
  let ns: ReturnType<typeof createNetns>;
  let dir: string;
  const started: ChildProcess[] = [];
  let labServerPid = 0;

  /** A child inside the namespace, remembered so that it is stopped at the end. */
  function inNs(cmd: string, args: string[]): ChildProcess {
    const child = spawn("ip", ["netns", "exec", ns.name, cmd, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.push(child);
    return child;
  }

  /** GET from Prometheus's API inside the namespace (the test itself is outside it). */
  function api(path: string): unknown {
    const script = `fetch(${JSON.stringify(`http://${PROMETHEUS}${path}`)}).then(r => r.text()).then(t => process.stdout.write(t), e => { console.error(e.message); process.exit(1); })`;
    const r = spawnSync("ip", ["netns", "exec", ns.name, process.execPath, "-e", script], {
      encoding: "utf8",
      timeout: 5000,
    });
    if (r.status !== 0) throw new Error(`GET ${path}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  /** Polls until check returns a value (not undefined), every 500 ms, within ms. */
  async function eventually<T>(what: string, ms: number, check: () => T | undefined): Promise<T> {
    const end = Date.now() + ms;
    let last: unknown;
    while (Date.now() < end) {
      try {
        const v = check();
        if (v !== undefined) return v;
      } catch (err) {
        last = err;
      }
      await sleep(500);
    }
    throw new Error(`${what}: not within ${ms} ms${last ? ` (${(last as Error).message})` : ""}`);
  }

  before(async () => {
    ns = createNetns("prom");
    dir = mkdtempSync(join(tmpdir(), "sockdoc-prometheus-"));
    // The namespace's own settings: the host's are never touched.
    const sysctl = spawnSync(
      "ip",
      [
        "netns",
        "exec",
        ns.name,
        "sysctl",
        "-q",
        "-w",
        `net.ipv4.ip_local_port_range=${PORT_RANGE}`,
        "net.ipv4.tcp_tw_reuse=0",
      ],
      { encoding: "utf8" },
    );
    assert.equal(sysctl.status, 0, sysctl.stderr);
    writeFileSync(
      join(dir, "prometheus.yml"),
      [
        "global:",
        // -p walks every process's fds: on a busy host a scrape can take over 1 s.
        "  scrape_interval: 2s",
        "  scrape_timeout: 2s",
        "  evaluation_interval: 1s",
        "rule_files:",
        `  - ${rulesFile}`,
        "scrape_configs:",
        "  - job_name: sockdoc",
        "    static_configs:",
        `      - targets: ["${EXPORTER}"]`,
        "",
      ].join("\n"),
    );
    const exporter = inNs(sockdocBin, ["metrics", "--listen", EXPORTER, "-p"]);
    await lineOf(exporter, "stderr", /serving metrics on/, 10_000);
    inNs("prometheus", [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=${PROMETHEUS}`,
      "--log.level=warn",
    ]);
    await eventually("Prometheus ready", 15_000, () => {
      const r = api("/api/v1/status/runtimeinfo") as { status: string };
      return r.status === "success" ? true : undefined;
    });
  });

  after(async () => {
    for (const child of started) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await Promise.race([once(child, "exit"), sleep(3000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    }
    ns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("loads every shipped rule", () => {
    const r = api("/api/v1/rules") as { data: { groups: Array<{ file: string; rules: unknown[] }> } };
    const loaded = r.data.groups.reduce((n, g) => n + g.rules.length, 0);
    const check = spawnSync("promtool", ["check", "rules", rulesFile], { encoding: "utf8" });
    assert.match(check.stdout, new RegExp(`SUCCESS: ${loaded} rules found`));
  });

  it("puts the port alert in pending when churn uses up a destination's ports", async () => {
    type Alerts = { data: { alerts: Array<{ labels: Record<string, string>; state: string }> } };
    const portAlerts = () =>
      (api("/api/v1/alerts") as Alerts).data.alerts.filter(
        (a) =>
          a.labels.alertname === "SockdocEphemeralPortsRunningOut" &&
          a.labels.remote_port === String(DESTINATION_PORT),
      );
    // Scraped and evaluated at least once before the churn: no alert yet.
    await eventually("a first scrape", 10_000, () => {
      const r = api(`/api/v1/query?query=${encodeURIComponent('up{job="sockdoc"} == 1')}`) as {
        data: { result: unknown[] };
      };
      return r.data.result.length > 0 ? true : undefined;
    });
    assert.deepEqual(portAlerts(), []);
    const churn = inNs(process.execPath, [
      join(repoRoot, "dist", "test", "support", "churn.js"),
      "127.0.0.1",
      String(DESTINATION_PORT),
      String(CHURN),
    ]);
    const done = JSON.parse(await lineOf(churn, "stdout", /^\{/, 10_000)) as {
      made: number;
      failed: string | null;
    };
    assert.deepEqual(done, { made: CHURN, failed: null });
    const alert = await eventually("SockdocEphemeralPortsRunningOut", 20_000, () => portAlerts()[0]);
    // for: 2m, and the test lasts well under a minute: pending, not firing.
    assert.equal(alert.state, "pending");
    assert.equal(alert.labels.remote_address, "127.0.0.1");
    assert.equal(alert.labels.job, "sockdoc");
  });

  it("shows a lab CLOSE_WAIT leak in a query with its count and cause", async () => {
    const lab = inNs(sockdocBin, [
      "lab",
      "close-wait",
      "--cause",
      "eof-not-closed",
      "--count",
      String(LAB_COUNT),
      "--duration",
      "50",
      "--json",
    ]);
    labServerPid = (JSON.parse(await lineOf(lab, "stdout", /^\{/, 15_000)) as { serverPid: number })
      .serverPid;
    const query = `sockdoc_close_wait_process_cause_sockets{pid="${labServerPid}",cause="eof-not-closed"}`;
    const value = await eventually(query, 20_000, () => {
      const r = api(`/api/v1/query?query=${encodeURIComponent(query)}`) as {
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      return r.data.result[0];
    });
    assert.equal(value.value[1], String(LAB_COUNT));
    assert.equal(value.metric.comm, "node");
    const held = api(
      `/api/v1/query?query=${encodeURIComponent(`sockdoc_close_wait_process_sockets{pid="${labServerPid}"}`)}`,
    ) as { data: { result: Array<{ value: [number, string] }> } };
    assert.equal(held.data.result[0]?.value[1], String(LAB_COUNT));
  });
});
