/**
 * Owners through the BPF fd iterator, end to end: in a namespace the test
 * makes, `ls -p` and `closewait` give the same JSON (owners, fds, process
 * facts) with the iterator as with the /proc walk (SOCKDOC_OWNERS=walk),
 * and --debug says which one looked. Root only.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { BTF_PATH } from "../../src/sources/bpf/kernel-btf.js";
import { loadNative } from "../../src/sources/native.js";
import { ITERATOR_WORTH_FILES } from "../../src/sources/owners/fd-iterator.js";
import { createNetns, isRoot, makeSockets, type MadeSockets, sockdoc } from "../support/run.js";

const skip = !isRoot
  ? "needs root (a network namespace, a BPF program)"
  : !loadNative().addon
    ? "native addon not built"
    : !existsSync(BTF_PATH)
      ? `no ${BTF_PATH}`
      : false;

/** The JSON without the time it was taken (the two runs are moments apart). */
function withoutTime(stdout: string): unknown {
  const doc = JSON.parse(stdout) as Record<string, unknown>;
  delete doc.takenAt;
  return doc;
}

describe("owners from the BPF fd iterator", { skip }, () => {
  let ns: ReturnType<typeof createNetns>;
  let made: MadeSockets;
  before(async () => {
    ns = createNetns("fditer");
    made = await makeSockets({ netns: ns.name, established: 3, closeWait: 4, timeWait: 0 });
  });
  after(() => {
    made?.child.kill();
    ns?.remove();
  });

  for (const args of [
    ["ls", "-p", "--json"],
    ["closewait", "--json"],
  ]) {
    it(`${args.join(" ")}: same output as the /proc walk; --debug names the source`, () => {
      const iterated = sockdoc([...args, "--netns", ns.name, "--debug"], { env: { SOCKDOC_OWNERS: "bpf" } });
      assert.equal(iterated.status, 0, iterated.stderr);
      assert.match(iterated.stderr, /owners by the BPF fd iterator/);
      const walked = sockdoc([...args, "--netns", ns.name, "--debug"], { env: { SOCKDOC_OWNERS: "walk" } });
      assert.equal(walked.status, 0, walked.stderr);
      assert.match(
        walked.stderr,
        /owners by the \/proc fd walk \(not the BPF fd iterator: SOCKDOC_OWNERS=walk\)\)/,
      );
      assert.deepEqual(withoutTime(iterated.stdout), withoutTime(walked.stdout));
      // The maker's pid owns its sockets in both.
      assert.ok(iterated.stdout.includes(`"pid":${made.pid}`), "the maker is named as an owner");
    });
  }
  const files = Number(readFileSync("/proc/sys/fs/file-nr", "latin1").split(/\s+/)[0]);
  const small = files < ITERATOR_WORTH_FILES ? false : `${files} files open: not a small host`;
  it(
    "on a host with few files open, walks /proc (quicker than loading the iterator) and says why",
    { skip: small },
    () => {
      const r = sockdoc(["ls", "-p", "--json", "--netns", ns.name, "--debug"]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stderr,
        /owners by the \/proc fd walk \(not the BPF fd iterator: \d+ files open on the host: the walk is quicker than loading it\)\)/,
      );
    },
  );
});
