/**
 * The dashboard in a real headless chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core: no browser download), against `sockdoc watch
 * --netns NS --listen 127.0.0.1:0` on a leak this test starts in its own
 * namespace (root). At 1366×768 and 390×844 the page shows the timeline's
 * points, the leaking process with its comm and port, its count growing as
 * the lab leaks more, the state diagram's live CLOSE_WAIT equal to what
 * `sockdoc closewait --json` says, a leak-start event; no request goes to
 * another host, no console error, no horizontal overflow on the phone. A
 * process whose name and command line are HTML is shown as text.
 * Screenshots are kept in $SOCKDOC_TEST_ARTIFACTS (default: a temp folder).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import type * as PlaywrightModule from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { createNetns, isRoot, type LabReady, sockdoc, sockdocBin, startLab } from "../support/run.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = !isRoot
  ? "needs root to make a namespace"
  : !existsSync(CHROMIUM)
    ? `${CHROMIUM} is not installed (Debian package chromium)`
    : false;
if (skip) console.log(`# dashboard browser tests skipped: ${skip}`);

type Playwright = typeof PlaywrightModule;

const artifacts = process.env.SOCKDOC_TEST_ARTIFACTS ?? join(tmpdir(), "sockdoc-test-artifacts");

function firstLine(child: ChildProcess, stream: "stdout" | "stderr", match: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child[stream]! });
    lines.on("line", (line) => {
      if (match.test(line)) resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`exited with ${code} before a line matching ${match}`)));
  });
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 15_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe("the dashboard in headless chromium", { skip }, () => {
  let ns: ReturnType<typeof createNetns>;
  let dir = "";
  let watcher: ChildProcess | null = null;
  let lab: ChildProcess | null = null;
  let odd: ChildProcess | null = null;
  let browser: Browser | null = null;
  let base = "";
  let ready: LabReady;
  let watchStderr = "";

  before(async () => {
    ns = createNetns("dash");
    dir = mkdtempSync(join(tmpdir(), "sockdoc-dash-"));
    mkdirSync(artifacts, { recursive: true });
    watcher = spawn(
      sockdocBin,
      [
        "watch",
        "--db",
        join(dir, "h.db"),
        "--netns",
        ns.name,
        "--interval",
        "0.5",
        "--listen",
        "127.0.0.1:0",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    watcher.stderr!.on("data", (d: Buffer) => (watchStderr += d.toString()));
    const line = await firstLine(watcher, "stderr", /serving the dashboard on http:\/\//);
    base = /http:\/\/(127\.0\.0\.1:\d+)\//.exec(line)![0].replace(/\/$/, "");
    // A sample or two of the empty namespace first, then the leak: one more every 4 s (slow enough that
    // closewait --json and the page can agree between two leaks).
    await new Promise((r) => setTimeout(r, 800));
    ({ child: lab, ready } = await startLab(
      ns.name,
      ["--cause", "eof-not-closed", "--count", "2", "--every", "4"].concat(["--duration", "90"]),
    ));
    const { chromium } = (await import("playwright-core")) as Playwright;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // As root chromium needs --no-sandbox; the page is our own, on loopback.
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
  });

  after(async () => {
    await browser?.close();
    lab?.kill("SIGINT");
    odd?.kill("SIGKILL");
    watcher?.kill("SIGTERM");
    if (watcher && watcher.exitCode === null) await new Promise((r) => watcher!.once("exit", r));
    ns?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A page with the guards every test asserts on: requests to other hosts, console errors. */
  async function open(width: number, height: number) {
    const page = await browser!.newPage({ viewport: { width, height } });
    const foreign: string[] = [];
    const errors: string[] = [];
    const host = new URL(base).host;
    page.on("request", (r) => {
      if (new URL(r.url()).host !== host) foreign.push(r.url());
    });
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("response", (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${base}/`);
    return { page, foreign, errors };
  }

  const rowText = (page: Page, text: string) =>
    page.evaluate((t) => {
      const rows = [...document.querySelectorAll("#closewait-table tbody tr")];
      return rows.map((r) => r.textContent ?? "").find((x) => x.includes(t)) ?? null;
    }, text);
  const countIn = (row: string, port: number) => {
    // process cell, then ":PORT", cause, now: "…(pid N)…:PORTeof-not-closedNOW…"
    const m = new RegExp(`:${port}eof-not-closed(\\d+)`).exec(row);
    return m ? Number(m[1]) : null;
  };

  it("at 1366×768: the leak's process, port and growth, the timeline, the diagram's live count, the event", async () => {
    const { page, foreign, errors } = await open(1366, 768);
    const who = `node (pid ${ready.serverPid})`;
    const first = await until("the leaking process in the table", () => rowText(page, who));
    assert.match(first, new RegExp(`:${ready.port}`));
    assert.match(first, /node-server\.js eof-not-closed/, "its command line");
    const n0 = countIn(first, ready.port)!;
    assert.ok(n0 >= 2, first);
    // The lab leaks one more every 4 s: the count the page shows grows.
    await until("the count to grow", async () => {
      const row = await rowText(page, who);
      return row !== null && (countIn(row, ready.port) ?? 0) > n0;
    });
    // The timeline has points (one per sample).
    const points = await until("timeline points", async () => {
      const n = await page.evaluate(() =>
        Number(document.getElementById("states-chart")!.dataset.points ?? 0),
      );
      return n >= 3 ? n : null;
    });
    assert.ok(points >= 3);
    assert.ok(await page.locator("#states-chart canvas").count(), "the chart is drawn");
    // The diagram's live CLOSE_WAIT is what closewait --json says for the namespace. The lab grows
    // between reads now and then: compare when closewait said the same before and after the page's sample.
    await until(
      "the diagram's CLOSE_WAIT to equal closewait --json",
      async () => {
        const cw = () => {
          const r = sockdoc(["closewait", "--json", "--netns", ns.name]);
          assert.equal(r.status, 0, r.stderr);
          return (JSON.parse(r.stdout) as { total: number }).total;
        };
        const before = cw();
        const status = await page.locator("#status").textContent();
        await until(
          "the next sample",
          async () => (await page.locator("#status").textContent()) !== status,
          5000,
        );
        const shown = Number(await page.locator("#n-CLOSE_WAIT").textContent());
        const afterwards = cw();
        return before === afterwards && shown === before;
      },
      30_000,
    );
    const events = await until("a leak-start event", async () => {
      const t = await page.locator("#events").textContent();
      return t?.includes(`leak-start`) && t.includes(`pid ${ready.serverPid}`) ? t : null;
    });
    assert.match(events, new RegExp(`node \\(pid ${ready.serverPid}\\) starts holding CLOSE_WAIT`));
    await page.screenshot({ path: join(artifacts, "dashboard-1366x768.png"), fullPage: false });
    assert.deepEqual(foreign, [], "requests to other hosts");
    assert.deepEqual(errors, [], "console errors");
    await page.close();
  });

  it("at 390×844 (a phone): the same data, no horizontal overflow, no console error", async () => {
    const { page, foreign, errors } = await open(390, 844);
    await until("the leaking process", () => rowText(page, `node (pid ${ready.serverPid})`));
    await until(
      "the diagram's counts",
      async () => (await page.locator("#n-CLOSE_WAIT").textContent()) !== "–",
    );
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(
      widths.scroll <= widths.client,
      `page ${widths.scroll}px wide in a ${widths.client}px viewport`,
    );
    await page.screenshot({ path: join(artifacts, "dashboard-390x844.png"), fullPage: true });
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("shows a process name and command line made of HTML as text", async () => {
    // A python3 listener in the namespace that names itself with markup, connects to itself
    // three times and closes the client ends: it holds three CLOSE_WAIT sockets.
    const comm = "<b>x</b><i>y";
    const payload = "<img src=x onerror=window.__pwned=1>";
    const script = [
      "import socket, sys, time",
      `open('/proc/self/comm', 'w').write(${JSON.stringify(comm)})`,
      "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(8)",
      "cs = [socket.create_connection(s.getsockname()) for _ in range(3)]",
      "held = [s.accept()[0] for _ in range(3)]",
      "[c.close() for c in cs]",
      "print(s.getsockname()[1], flush=True)",
      "time.sleep(60)",
    ].join("\n");
    odd = spawn("ip", ["netns", "exec", ns.name, "python3", "-c", script, payload], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = Number(await firstLine(odd, "stdout", /^\d+$/));
    const { page, errors } = await open(1366, 768);
    const row = await until("the HTML-named process", () => rowText(page, comm));
    assert.ok(row.includes(`:${port}`), row);
    assert.ok(row.includes(payload), "the command line shown as text");
    const parsed = await page.evaluate(() => ({
      markup: document.querySelectorAll("#closewait-table b, #closewait-table i, #closewait-table img")
        .length,
      pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      events: document.getElementById("events")!.querySelectorAll("b, i, img").length,
    }));
    assert.deepEqual(parsed, { markup: 0, pwned: null, events: 0 });
    const eventText = await until("its leak-start event", async () => {
      const t = await page.locator("#events").textContent();
      return t?.includes(comm) ? t : null;
    });
    assert.ok(eventText.includes(`${comm} (pid`));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
