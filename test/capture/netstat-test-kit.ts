/**
 * @module Shared by the netstat capture tests: reading the shared captures in
 * place, per-state counts, and the fast-check property that a parser either
 * returns well-formed sockets or throws InputError, for any text.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import type { CaptureParse, CaptureParser } from "../../src/capture/capture.js";
import { MAX_LINE_WARNINGS } from "../../src/capture/netstat-rows.js";
import { InputError } from "../../src/model/errors.js";
import type { TcpSocket } from "../../src/model/socket.js";
import { ALL_STATES, stateName } from "../../src/model/tcp-state.js";
import { repoRoot } from "../support/run.js";

export const capturesDir = join(repoRoot, "..", "shared", "captures");
export const fixturesDir = join(repoRoot, "test", "fixtures", "capture");

/** A shared capture's text, byte for byte (all netstat captures there are ASCII). */
export function capture(name: string): string {
  return readFileSync(join(capturesDir, name), "utf8");
}

export function fixture(name: string): string {
  return readFileSync(join(fixturesDir, name), "utf8");
}

/** Sockets per canonical state name, as the captures' README counts them. */
export function counts(sockets: TcpSocket[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const s of sockets) c[stateName(s.state)] = (c[stateName(s.state)] ?? 0) + 1;
  return c;
}

/** The sockets whose local endpoint is address:port (exactly one expected). */
export function rowAt(sockets: TcpSocket[], address: string, port: number): TcpSocket {
  const found = sockets.filter((s) => s.local.address === address && s.local.port === port);
  assert.equal(found.length, 1, `one socket at ${address} ${port}, found ${found.length}`);
  return found[0]!;
}

/** What every successful parse must look like, whatever the input. */
function assertWellFormed(result: CaptureParse): void {
  for (const s of result.sockets) {
    assert.ok(ALL_STATES.includes(s.state), `state ${s.state}`);
    assert.ok(s.family === 4 || s.family === 6);
    for (const e of [s.local, s.remote]) {
      assert.ok(Number.isInteger(e.port) && e.port >= 0 && e.port <= 65535, `port ${e.port}`);
      assert.ok(e.address.length > 0);
    }
    assert.ok(Number.isSafeInteger(s.recvQ) && s.recvQ >= 0);
    assert.ok(Number.isSafeInteger(s.sendQ) && s.sendQ >= 0);
    assert.equal(s.cookie, null);
    if (!result.ownersKnown) assert.equal(s.owners, null);
    for (const o of s.owners ?? []) assert.ok(Number.isSafeInteger(o.pid) && o.comm !== "");
  }
  for (const w of result.warnings) assert.ok(!w.includes("\n"), `one-line warning: ${w}`);
  assert.ok(result.warnings.length <= MAX_LINE_WARNINGS + 4);
}

/** Runs parse and checks it either returns well-formed sockets or throws InputError (one line). */
export function parsesOrRefuses(parse: CaptureParser, text: string): void {
  let result: CaptureParse;
  try {
    result = parse(text, "prop.txt");
  } catch (err) {
    assert.ok(err instanceof InputError, `not an InputError: ${String(err)}`);
    assert.ok(!err.message.includes("\n"));
    return;
  }
  assertWellFormed(result);
}

/** A line built from the words netstat captures of every kind are made of. */
function lineOf(vocabulary: string[]): fc.Arbitrary<string> {
  const word = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...vocabulary) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 10 }) },
    { weight: 1, arbitrary: fc.nat({ max: 9_999_999 }).map(String) },
  );
  return fc
    .tuple(fc.array(word, { maxLength: 12 }), fc.constantFrom(" ", "  ", "\t", "       "))
    .map(([words, gap]) => words.join(gap));
}

/** A real capture with a few random edits: cut, insert, duplicate or drop lines. */
function mutated(texts: string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 12 }),
    insert: fc.string({ unit: "binary", maxLength: 8 }),
  });
  return fc
    .tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 6 }))
    .map(([text, edits]) => {
      let t = text;
      for (const e of edits) {
        const at = t.length === 0 ? 0 : e.at % t.length;
        t = t.slice(0, at) + e.insert + t.slice(at + e.cut);
      }
      return t;
    });
}

/** Arbitrary text, vocabulary-built captures and mutated real ones. */
export function captureTexts(vocabulary: string[], real: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: "binary", maxLength: 400 }),
    fc.array(lineOf(vocabulary), { maxLength: 30 }).map((lines) => lines.join("\n")),
    fc.array(lineOf(vocabulary), { maxLength: 30 }).map((lines) => lines.join("\r\n")),
    mutated(real),
  );
}

/** The property: for every text, a well-formed parse or an InputError. */
export function assertNeverCrashes(parse: CaptureParser, vocabulary: string[], real: string[]): void {
  fc.assert(
    fc.property(captureTexts(vocabulary, real), (text) => parsesOrRefuses(parse, text)),
    { numRuns: 600 },
  );
}
