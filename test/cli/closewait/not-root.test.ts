/**
 * Live, as an unprivileged user: sockets whose owner runs as root are still
 * counted and classified; the owner is unknown with a note, not an error.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { isRoot, sockdocBin } from "../../support/run.js";

const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));
const skip = !isRoot
  ? "needs root to start the lab as root and run sockdoc as another user"
  : !setpriv
    ? "setpriv (util-linux) is not installed"
    : false;

async function readyPort(child: ChildProcess): Promise<number> {
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [line] = (await once(rl, "line")) as [string];
  return (JSON.parse(line) as { port: number }).port;
}

describe("sockdoc closewait without root", () => {
  it("reports other users' sockets with an unknown owner and a note, exit 0", { skip }, async () => {
    const lab = spawn(sockdocBin, ["lab", "close-wait", "--cause", "fin-unread", "--count", "2", "--json"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const port = await readyPort(lab);
      const r = spawnSync(
        setpriv as string,
        [
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          sockdocBin,
          "closewait",
          "--json",
          "sport",
          "=",
          `:${port}`,
        ],
        { encoding: "utf8" },
      );
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as {
        total: number;
        groups: Array<{ owner: unknown; ownerNote: string; cause: string; count: number; fds: number[] }>;
      };
      assert.equal(doc.total, 2);
      const [g] = doc.groups;
      assert.equal(g?.owner, null);
      assert.equal(g?.cause, "fin-unread");
      assert.equal(g?.count, 2);
      assert.deepEqual(g?.fds, []);
      assert.match(
        g?.ownerNote ?? "",
        /socket of user root, uid 0\): \d+ process(es)? of other users could not be inspected/,
      );
      assert.match(g?.ownerNote ?? "", /run as root/);
    } finally {
      const exited = once(lab, "exit");
      lab.kill("SIGINT");
      await exited;
    }
  });
});
