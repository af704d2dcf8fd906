import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { binaryKind } from "../../src/capture/binary-input.js";
import { DEFAULT_INPUT_LIMIT, parseInputLimit } from "../../src/capture/input-limit.js";
import { readCapture, snapshotFromBytes } from "../../src/capture/read-capture.js";
import { InputError, UsageError } from "../../src/model/errors.js";
import { sockdoc, sockdocBin } from "../support/run.js";
import { netstatCapture } from "./generated-capture.js";

const work = mkdtempSync(join(tmpdir(), "sockdoc-bounded-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** Bound for any refusal: a read that goes on (the old /dev/zero hang) is killed and fails the test. */
const QUICK_MS = 15_000;

/** sockdoc with stdin from fd (or a shell pipeline feeding it); killed after QUICK_MS. */
function run(args: string[], stdin: number | "ignore" = "ignore"): { status: number | null; stderr: string } {
  const r = spawnSync(sockdocBin, args, {
    encoding: "utf8",
    stdio: [stdin, "pipe", "pipe"],
    timeout: QUICK_MS,
  });
  return { status: r.status, stderr: r.stderr };
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0]!, pattern);
}

describe("binary input is refused from its first bytes", () => {
  it("--input /dev/zero ends at once with exit 3", () => {
    const r = run(["ls", "--input", "/dev/zero"]);
    assert.equal(r.status, 3, r.stderr);
    assertOneLine(r.stderr, /^sockdoc: \/dev\/zero is binary data \(NUL bytes\), not text/);
  });

  it("endless NULs on stdin end at once with exit 3", () => {
    const zero = openSync("/dev/zero", "r");
    try {
      const r = run(["summary", "--input", "-"], zero);
      assert.equal(r.status, 3, r.stderr);
      assertOneLine(r.stderr, /^sockdoc: stdin is binary data \(NUL bytes\)/);
    } finally {
      closeSync(zero);
    }
  });

  it("an executable (the node binary) is named as one", () => {
    const r = run(["timewait", "--input", process.execPath]);
    assert.equal(r.status, 3, r.stderr);
    assertOneLine(r.stderr, /is an executable or library \(ELF\), not text/);
  });

  it("binaryKind: NULs, magic numbers and control bytes are binary; text and UTF-16 are not", () => {
    const text = netstatCapture(20);
    assert.equal(binaryKind(Buffer.from(text)), null);
    assert.equal(binaryKind(Buffer.from(text, "utf16le")), null);
    assert.equal(binaryKind(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])), null);
    assert.equal(binaryKind(Buffer.alloc(4096)), "binary data (NUL bytes)");
    assert.equal(binaryKind(Buffer.from("PK\x03\x04rest", "latin1")), "a zip archive");
    assert.equal(
      binaryKind(Buffer.from("\x01\x02\x03\x04\x05\x06tcp 0 0", "latin1")),
      "binary data (control bytes)",
    );
  });

  it("in process, bytes that are binary throw an InputError, not a parse", () => {
    assert.throws(() => snapshotFromBytes(Buffer.alloc(100_000), "x", 0), InputError);
  });
});

describe("the input limit", () => {
  it("is 256 MiB unless --input-limit says otherwise; sizes read as 512M, 2G, 64K or bytes", () => {
    assert.equal(DEFAULT_INPUT_LIMIT, 256 * 1024 * 1024);
    assert.equal(parseInputLimit("512M"), 512 * 1024 * 1024);
    assert.equal(parseInputLimit("2G"), 2 * 1024 ** 3);
    assert.equal(parseInputLimit("64k"), 65536);
    assert.equal(parseInputLimit("1000"), 1000);
    assert.throws(() => parseInputLimit("lots"), UsageError);
    assert.throws(() => parseInputLimit("0"), UsageError);
  });

  it("a text file over the limit set by the flag: exit 3, one line naming the flag; under it: read", () => {
    const path = join(work, "big.txt");
    writeFileSync(path, netstatCapture(3000)); // about 270 kB
    const over = sockdoc(["summary", "--input", path, "--input-limit", "64K"]);
    assert.equal(over.status, 3, over.stderr);
    assertOneLine(over.stderr, /is over the input limit of 64 KiB; raise it with --input-limit/);
    const under = sockdoc(["summary", "--input", path, "--input-limit", "1M", "--json"]);
    assert.equal(under.status, 0, under.stderr);
    assert.equal(JSON.parse(under.stdout).total, 3000);
    assert.throws(() => readCapture(path, 64 * 1024), InputError);
  });

  it("a bad --input-limit is a usage error (exit 2)", () => {
    const r = sockdoc(["ls", "--input", "/dev/null", "--input-limit", "big"]);
    assert.equal(r.status, 2, r.stderr);
    assertOneLine(r.stderr, /--input-limit wants a size such as 512M/);
  });

  it("a stdin that never ends stops at the limit with exit 3", () => {
    const row = "tcp 0 0 10.0.0.5:8080 10.0.0.9:40000 ESTABLISHED";
    const r = spawnSync("sh", ["-c", `yes '${row}' | '${sockdocBin}' ls --input - --input-limit 2M`], {
      encoding: "utf8",
      timeout: QUICK_MS,
    });
    assert.equal(r.status, 3, r.stderr);
    assertOneLine(r.stderr, /^sockdoc: stdin is over the input limit of 2 MiB/);
  });

  it("a FIFO whose writer never stops ends the same way", () => {
    const fifo = join(work, "fifo");
    assert.equal(spawnSync("mkfifo", [fifo]).status, 0);
    const row = "tcp 0 0 10.0.0.5:8080 10.0.0.9:40000 ESTABLISHED";
    // The writer ends with SIGPIPE once sockdoc has closed the FIFO.
    const r = spawnSync(
      "sh",
      [
        "-c",
        `yes '${row}' > '${fifo}' & '${sockdocBin}' summary --input '${fifo}' --input-limit 1M; s=$?; wait; exit $s`,
      ],
      { encoding: "utf8", timeout: QUICK_MS },
    );
    assert.equal(r.status, 3, r.stderr);
    assertOneLine(r.stderr, /fifo is over the input limit of 1 MiB/);
  });
});

describe("UTF-16 captures are text", () => {
  for (const [name, bytes] of [
    ["UTF-16LE without a BOM (PowerShell redirection)", Buffer.from(netstatCapture(500), "utf16le")],
    [
      "UTF-16LE with a BOM",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(netstatCapture(500), "utf16le")]),
    ],
  ] as const) {
    it(`${name} is still read through the capped reader`, () => {
      const path = join(work, `${name.length}.txt`);
      writeFileSync(path, bytes);
      const r = sockdoc(["summary", "--input", path, "--json"]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).total, 500);
    });
  }
});

/**
 * Measured on Node 20 (17.6 MB of text): 179 MB before the line-by-line
 * netstat reader and shared strings (a line array, a copy of every address
 * and owner list per row), 141 MB since; node alone takes about 45.
 */
const MAX_RSS_MB = 160;

describe("memory while reading a capture", () => {
  it("200,000 netstat rows are read within a bound on the process's peak RSS", () => {
    const path = join(work, "rows.txt");
    writeFileSync(path, netstatCapture(200_000));
    const module = join(import.meta.dirname, "..", "..", "src", "capture", "read-capture.js");
    const script =
      `const { readCapture } = await import(${JSON.stringify(module)});` +
      `const n = readCapture(${JSON.stringify(path)}).sockets.length;` +
      "console.log(JSON.stringify({ n, maxRssMb: process.resourceUsage().maxRSS / 1024 }));";
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const { n, maxRssMb } = JSON.parse(r.stdout) as { n: number; maxRssMb: number };
    assert.equal(n, 200_000);
    console.log(`# 200,000 netstat rows: peak RSS ${maxRssMb.toFixed(0)} MB`);
    assert.ok(maxRssMb < MAX_RSS_MB, `peak RSS ${maxRssMb.toFixed(0)} MB over ${MAX_RSS_MB} MB`);
  });
});
