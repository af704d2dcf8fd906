/**
 * Which journals rollback trusts (its owner and mode, and its directory's),
 * and which old values it refuses to write: apply's rules.
 */
import assert from "node:assert/strict";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { checkJournalTrust, distrust } from "../../../src/actions/tune/journal-trust.js";
import { checkRollback } from "../../../src/actions/tune/refusals.js";
import { InputError, UsageError } from "../../../src/model/errors.js";

const isRoot = process.geteuid?.() === 0;

describe("distrust", () => {
  const cases: Array<[uid: number, mode: number, me: number, why: string | null]> = [
    [0, 0o100640, 0, null],
    [0, 0o100600, 0, null],
    [0, 0o040750, 0, null],
    [0, 0o100660, 0, "is writable by its group (mode 0660)"],
    [0, 0o100646, 0, "is writable by others (mode 0646)"],
    [0, 0o100666, 0, "is writable by group and others (mode 0666)"],
    [0, 0o041777, 0, "is writable by group and others (mode 1777)"],
    [1000, 0o100600, 0, "belongs to uid 1000, not root"],
    // Not root: a journal of one's own can only ask for writes one could make anyway.
    [1000, 0o100600, 1000, null],
    [1001, 0o100600, 1000, "belongs to uid 1001, not root or you (uid 1000)"],
  ];
  for (const [uid, mode, me, why] of cases) {
    it(`uid ${uid}, mode ${mode.toString(8)}, run by ${me}: ${why ?? "trusted"}`, () => {
      assert.equal(distrust({ uid, mode, isFile: true }, me), why);
    });
  }
});

describe("checkJournalTrust on files", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-trust-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const me = process.geteuid?.() ?? 0;
  const refusal = (re: RegExp) => (e: unknown) =>
    e instanceof InputError && e.exitCode === 3 && !e.message.includes("\n") && re.test(e.message);

  it("trusts a 0640 journal in a 0700 directory, and a journal not made yet", () => {
    const good = join(dir, "good");
    mkdirSync(good, { mode: 0o700 });
    writeFileSync(join(good, "j.jsonl"), "", { mode: 0o640 });
    checkJournalTrust(join(good, "j.jsonl"), me);
    checkJournalTrust(join(good, "new.jsonl"), me);
    checkJournalTrust(join(good, "no-dir-yet", "new.jsonl"), me);
  });

  it("refuses a journal writable by others, saying what to run", () => {
    const d = join(dir, "mode");
    mkdirSync(d, { mode: 0o700 });
    const j = join(d, "j.jsonl");
    writeFileSync(j, "");
    chmodSync(j, 0o666);
    assert.throws(
      () => checkJournalTrust(j, me),
      refusal(
        new RegExp(
          `^refusing the journal ${j}: it is writable by group and others \\(mode 0666\\), so rollback ` +
            `could be made to write, as root, values someone else chose; if its content is yours: chmod go-w ${j}$`,
        ),
      ),
    );
  });

  it("refuses a journal in a directory others can write (/tmp-like, sticky or not)", () => {
    for (const mode of [0o777, 0o1777]) {
      const d = join(dir, `open-${mode.toString(8)}`);
      mkdirSync(d);
      chmodSync(d, mode);
      const j = join(d, "j.jsonl");
      writeFileSync(j, "", { mode: 0o600 });
      assert.throws(
        () => checkJournalTrust(j, me),
        refusal(new RegExp(`^refusing the journal ${j}: its directory ${d} is writable by group and others`)),
      );
      // Not made yet: the directory alone decides.
      assert.throws(() => checkJournalTrust(join(d, "new.jsonl"), me), refusal(/its directory/));
    }
  });

  it("follows a symlink and judges what it points to", () => {
    const d = join(dir, "link");
    mkdirSync(d, { mode: 0o700 });
    const target = join(d, "real.jsonl");
    writeFileSync(target, "");
    chmodSync(target, 0o662);
    symlinkSync(target, join(d, "j.jsonl"));
    assert.throws(
      () => checkJournalTrust(join(d, "j.jsonl"), me),
      refusal(new RegExp(`its target ${target} is writable by group and others \\(mode 0662\\)`)),
    );
  });

  it("refuses a directory given as the journal", () => {
    assert.throws(() => checkJournalTrust(dir, me), refusal(/is not a regular file$/));
  });

  it("refuses a journal owned by another user", { skip: !isRoot && "needs root to chown" }, () => {
    const d = join(dir, "owner");
    mkdirSync(d, { mode: 0o700 });
    const j = join(d, "j.jsonl");
    writeFileSync(j, "", { mode: 0o600 });
    chownSync(j, 65534, 65534);
    assert.throws(
      () => checkJournalTrust(j, 0),
      refusal(
        new RegExp(`^refusing the journal ${j}: it belongs to uid 65534, not root, .*: chown root ${j}$`),
      ),
    );
    chownSync(j, 0, 0);
    chownSync(d, 65534, 65534);
    assert.throws(() => checkJournalTrust(j, 0), refusal(/its directory .* belongs to uid 65534, not root/));
  });
});

describe("checkRollback: apply's rules for the old values", () => {
  const refused = (re: RegExp) => (e: unknown) =>
    e instanceof UsageError && e.exitCode === 2 && !e.message.includes("\n") && re.test(e.message);
  const evil = [{ name: "kernel.core_pattern", old: "|/tmp/evil %p" }];

  it("refuses a setting apply does not tune (a pipe in core_pattern runs a program as root)", () => {
    assert.throws(
      () => checkRollback("B1", evil, false, {}),
      refused(
        /^rollback of batch B1: refusing kernel\.core_pattern: not one of the settings sockdoc tunes .*add --force to write it anyway; nothing was changed$/,
      ),
    );
    assert.doesNotThrow(() => checkRollback("B1", evil, true, {}), "--force, as for apply");
  });

  it("refuses tcp_tw_recycle even with --force, and values the kernel would refuse", () => {
    assert.throws(
      () => checkRollback("B2", [{ name: "net.ipv4.tcp_tw_recycle", old: "1" }], true, {}),
      refused(/refusing net\.ipv4\.tcp_tw_recycle/),
    );
    assert.throws(
      () => checkRollback("B3", [{ name: "net.ipv4.tcp_tw_reuse", old: "7" }], false, {}),
      refused(/the kernel would refuse it/),
    );
  });

  it("lets the settings apply writes through", () => {
    assert.doesNotThrow(() =>
      checkRollback(
        "B4",
        [
          { name: "net.ipv4.tcp_fin_timeout", old: "60" },
          { name: "net.ipv4.ip_local_port_range", old: "32768\t60999" },
        ],
        false,
        {},
      ),
    );
  });
});
