/**
 * runBatch when the --persist file cannot be written: the values already
 * written are put back, the journal says so, and the error is one line
 * naming the file and the errno. Against a temp /proc/sys.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { groupBatches, rollbackTarget } from "../../../src/actions/tune/batches.js";
import { readJournal } from "../../../src/actions/tune/journal.js";
import { procSysIo } from "../../../src/actions/tune/sysctl-io.js";
import { runBatch } from "../../../src/cli/tune/run-batch.js";
import { InputError } from "../../../src/model/errors.js";
import { fakeProc } from "../../actions/tune/fake-proc.js";

describe("runBatch with a --persist file that cannot be written", () => {
  const dir = mkdtempSync(join(tmpdir(), "sockdoc-run-batch-"));
  const proc = fakeProc({ "net.ipv4.tcp_fin_timeout": "60", "net.ipv4.tcp_tw_reuse": "2" });
  after(() => {
    rmSync(dir, { recursive: true });
    rmSync(proc.root, { recursive: true });
  });

  it("puts the values back, journals it, and throws one line with the file and errno", () => {
    const target = join(dir, "90-sockdoc.conf");
    mkdirSync(target); // a directory where the file should be: EISDIR
    const journal = join(dir, "journal.jsonl");
    const changes = [
      { name: "net.ipv4.tcp_fin_timeout", old: "60", new: "30" },
      { name: "net.ipv4.tcp_tw_reuse", old: "2", new: "1" },
    ];
    assert.throws(
      () => runBatch(procSysIo(proc.root), { changes }, { file: target, content: "x = 1\n" }, journal),
      (err: unknown) =>
        err instanceof InputError &&
        err.message ===
          `cannot write ${target} (EISDIR): the 2 values written were put back; journaled in ${journal}`,
    );
    assert.equal(proc.value("net.ipv4.tcp_fin_timeout"), "60");
    assert.equal(proc.value("net.ipv4.tcp_tw_reuse"), "2");
    const batches = groupBatches(readJournal(journal).records);
    assert.deepEqual(
      [...batches[0]!.results.entries()].map(([name, r]) => [name, r.outcome]),
      [
        ["net.ipv4.tcp_fin_timeout", "restored"],
        ["net.ipv4.tcp_tw_reuse", "restored"],
        [target, "failed"],
      ],
    );
    // Nothing of the batch remains, so there is nothing to roll back.
    assert.throws(() => rollbackTarget(batches), /nothing to roll back/);
  });
});
