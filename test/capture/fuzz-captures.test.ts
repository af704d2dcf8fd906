/**
 * The fuzz corpus run: the real captures in ../shared/captures (read in
 * place, never copied into the repository), mutated by a seeded generator —
 * byte flips, truncation, duplicated lines, shuffled columns, NUL and escape
 * bytes, huge lines, re-encoding as UTF-16 — and fed to the capture entry
 * (snapshotFromBytes) in process. Each input must give a snapshot or the
 * project's one-line InputError, never another throw; each must finish
 * within a time bound; warnings stay few and short. Bounded to about 12 s.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { snapshotFromBytes } from "../../src/capture/read-capture.js";
import { InputError } from "../../src/model/errors.js";
import { captureNames, capturesDir } from "./captures-readme.js";

const SEED = 20261205;
const TIME_BUDGET_MS = 12_000;
/** A 70 kB capture parses in a few ms; a mutated one taking this long is a hang in the making. */
const PER_INPUT_MS = 2_000;
/** Per-line warnings are capped at 20 plus a count line and a few whole-capture notes. */
const MAX_WARNINGS = 40;
const MAX_WARNING_CHARS = 600;

type Mutation = (bytes: Buffer) => Buffer;

const lines = (b: Buffer) => b.toString("latin1").split("\n");
const join = (l: string[]) => Buffer.from(l.join("\n"), "latin1");

/** Each mutation draws its positions from a seeded stream of integers. */
function mutations(rand: () => number): Record<string, Mutation> {
  const at = (n: number) => Math.floor(rand() * Math.max(n, 1));
  return {
    flipBytes: (b) => {
      const out = Buffer.from(b);
      for (let i = 0, n = 1 + at(20); i < n; i++) out[at(out.length)] = at(256);
      return out;
    },
    truncate: (b) => b.subarray(0, at(b.length)),
    duplicateLines: (b) => {
      const l = lines(b);
      const i = at(l.length);
      l.splice(i, 0, ...Array<string>(1 + at(50)).fill(l[i] ?? ""));
      return join(l);
    },
    shuffleColumns: (b) =>
      join(
        lines(b).map((line) => {
          if (rand() < 0.7) return line;
          const f = line.trim().split(/\s+/);
          for (let i = f.length - 1; i > 0; i--) {
            const j = at(i + 1);
            [f[i], f[j]] = [f[j]!, f[i]!];
          }
          return f.join("  ");
        }),
      ),
    injectNulAndEscapes: (b) => {
      const l = lines(b);
      for (let i = 0, n = 1 + at(10); i < n; i++) {
        const k = at(l.length);
        const s = l[k] ?? "";
        const p = at(s.length);
        l[k] = `${s.slice(0, p)}${rand() < 0.5 ? "\0" : "\x1b[2J\x1b]0;title\x07"}${s.slice(p)}`;
      }
      return join(l);
    },
    hugeLine: (b) => {
      const l = lines(b);
      const k = at(l.length);
      l[k] = `${l[k] ?? ""}${"9".repeat(200_000 + at(300_000))}`;
      return join(l);
    },
    hugeToken: (b) => {
      const l = lines(b);
      const k = at(l.length);
      const f = (l[k] ?? "").split(/(\s+)/);
      f[at(f.length)] = `${"1.".repeat(50_000)}:${"7".repeat(1000)}`;
      l[k] = f.join("");
      return join(l);
    },
    utf16: (b) => Buffer.from(b.toString("latin1"), "utf16le"),
  };
}

/** Runs one input; the failure message names the capture and mutations to replay it. */
function check(bytes: Buffer, label: string): void {
  const start = performance.now();
  try {
    const snap = snapshotFromBytes(bytes, label, 0);
    const rows = bytes.length === 0 ? 0 : bytes.toString("latin1").split(/\r\n|\r|\n/).length;
    assert.ok(snap.sockets.length <= rows, `${label}: ${snap.sockets.length} sockets from ${rows} lines`);
    assert.ok(snap.warnings.length <= MAX_WARNINGS, `${label}: ${snap.warnings.length} warnings`);
    for (const w of snap.warnings) {
      assert.ok(
        w.length <= MAX_WARNING_CHARS,
        `${label}: a warning of ${w.length} chars: ${w.slice(0, 120)}`,
      );
    }
  } catch (err) {
    if (!(err instanceof InputError)) {
      assert.fail(`${label}: threw ${(err as Error)?.name}: ${(err as Error)?.message}`);
    }
    assert.ok(!err.message.includes("\n"), `${label}: a multi-line error`);
    assert.ok(err.message.length <= MAX_WARNING_CHARS, `${label}: an error of ${err.message.length} chars`);
  }
  const ms = performance.now() - start;
  assert.ok(ms < PER_INPUT_MS, `${label}: took ${Math.round(ms)} ms`);
}

const missing = existsSync(capturesDir) ? null : `no shared captures at ${capturesDir}`;

describe("fuzz: mutated real captures", () => {
  it("give a snapshot or an InputError, in bounded time and output", { skip: missing ?? false }, () => {
    const names = captureNames();
    const corpus = names.map((n) => readFileSync(`${capturesDir}/${n}`));
    const kinds = Object.keys(mutations(() => 0));
    let inputs = 0;
    const result = fc.check(
      fc.property(
        fc.nat(names.length - 1),
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 3 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
        (which, chosen, stream) => {
          const it = stream[Symbol.iterator]();
          const m = mutations(() => it.next().value as number);
          let bytes: Buffer = corpus[which]!;
          for (const k of chosen) bytes = m[k]!(bytes);
          inputs++;
          check(bytes, `${names[which]} after ${chosen.join("+")}`);
        },
      ),
      { seed: SEED, numRuns: 20_000, interruptAfterTimeLimit: TIME_BUDGET_MS, markInterruptAsFailure: false },
    );
    console.log(`# fuzz: ${inputs} mutated captures from ${names.length} (seed ${SEED})`);
    if (result.failed) {
      const why = (result.errorInstance as Error | undefined)?.message ?? "";
      assert.fail(`${why}\n${fc.defaultReportMessage(result) ?? ""}`);
    }
    assert.ok(inputs >= 100, `only ${inputs} inputs ran in ${TIME_BUDGET_MS} ms`);
  });
});

if (missing) console.log(`# fuzz corpus run skipped: ${missing}`);
