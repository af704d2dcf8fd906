import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { sockdoc } from "../support/run.js";

const work = mkdtempSync(join(tmpdir(), "sockdoc-sysctls-"));
after(() => rmSync(work, { recursive: true, force: true }));

const SS_CAPTURE =
  "State      Recv-Q Send-Q Local Address:Port  Peer Address:Port\n" +
  "TIME-WAIT  0      0      10.0.0.5:40001      10.0.0.9:443\n" +
  "ESTAB      0      0      10.0.0.5:40002      10.0.0.9:443\n";

describe("a capture without sysctls", () => {
  it("timewait says the capture lacks them, not that they are not readable", () => {
    const path = join(work, "ss.txt");
    writeFileSync(path, SS_CAPTURE);
    const r = sockdoc(["timewait", "--input", path]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /the capture lacks net\.ipv4\.ip_local_port_range/);
    assert.doesNotMatch(r.stderr, /not readable|not known/);
  });
});
