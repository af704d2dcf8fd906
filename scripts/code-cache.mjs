// Makes dist/sockdoc.cjs.codecache, the V8 code cache scripts/start.cjs
// loads: runs the commands people run most, one after another, each adding
// the functions it compiled to the cache the previous ones left. Read-only
// commands on this machine's own sockets (and on a capture from the test
// fixtures); a command that fails here still adds what it compiled.
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const cacheFile = `${dist}sockdoc.cjs.codecache`;
const capture = fileURLToPath(new URL("../test/fixtures/capture/netstat-solaris-an.txt", import.meta.url));
const runs = [
  ["summary", "--json"],
  ["timewait", "--json"],
  ["closewait", "--json"],
  [],
  ["ls", "state", "listening", "--json"],
  ["ls", "state", "listening"],
  ...(existsSync(capture) ? [["summary", "--input", capture]] : []),
  ["--help"],
];
rmSync(cacheFile, { force: true });
for (const args of runs) {
  spawnSync(process.execPath, [`${dist}start.cjs`, ...args], {
    env: { ...process.env, SOCKDOC_WRITE_CODE_CACHE: cacheFile },
    stdio: "ignore",
    timeout: 60_000,
  });
}
if (!existsSync(cacheFile)) console.error("code-cache: no cache made; sockdoc runs without it");
