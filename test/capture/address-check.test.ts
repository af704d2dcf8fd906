import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { snapshotFromText } from "../../src/capture/read-capture.js";
import { sockdoc } from "../support/run.js";
import { NETSTAT_HEADER } from "./generated-capture.js";

const work = mkdtempSync(join(tmpdir(), "sockdoc-address-"));
after(() => rmSync(work, { recursive: true, force: true }));

const CAPTURE =
  NETSTAT_HEADER +
  "tcp        1      0 10.0.0.5:8080           hello:51000             CLOSE_WAIT  123/java\n" +
  "tcp        1      0 10.0.0.5:8081           999.999.999.999:51000   CLOSE_WAIT  123/java\n" +
  "tcp        1      0 10.0.0.5:8082           10.0.0.9:51000          CLOSE_WAIT  123/java\n";

describe("capture addresses that are not IP addresses", () => {
  it("are one warning naming them; the rows are kept as printed", () => {
    const snap = snapshotFromText(CAPTURE, "cap.txt", 0);
    assert.equal(snap.sockets.length, 3);
    assert.ok(
      snap.warnings.includes(
        'cap.txt: 2 rows have addresses that are not an IP address ("hello", "999.999.999.999"): ' +
          "kept as printed, left out of suggested commands",
      ),
      snap.warnings.join("\n"),
    );
    assert.deepEqual(snapshotFromText(CAPTURE.split("\n").slice(0, 2).join("\n"), "ok.txt", 0).warnings, []);
  });

  it("closewait warns and suggests sockdoc kill only for the valid peer", () => {
    const path = join(work, "cap.txt");
    writeFileSync(path, CAPTURE);
    const r = sockdoc(["closewait", "--input", path]);
    assert.match(r.stderr, /2 rows have addresses that are not an IP address/);
    const kills = r.stdout.split("\n").filter((l) => l.includes("sockdoc kill"));
    assert.deepEqual(
      kills.map((l) => l.trim()),
      ["sockdoc kill state close-wait sport = :8082 dst 10.0.0.9"],
    );
  });
});
