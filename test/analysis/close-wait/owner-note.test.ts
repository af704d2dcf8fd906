import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ownerNote } from "../../../src/analysis/close-wait/owner-note.js";
import { owner, sock } from "./make.js";

const resolved = { ownersResolved: true, deniedCount: 0 };

describe("ownerNote", () => {
  it("is null when the owner is known", () => {
    assert.equal(ownerNote(sock({ owners: [owner(1, 3)] }), resolved), null);
  });
  it("explains a socket no process holds yet", () => {
    assert.match(ownerNote(sock({ inode: 0 }), resolved) ?? "", /not accepted yet/);
  });
  it("says when owners were not looked up", () => {
    assert.match(
      ownerNote(sock({ owners: [] }), { ...resolved, ownersResolved: false }) ?? "",
      /not looked up/,
    );
    assert.match(ownerNote(sock({ owners: null }), resolved) ?? "", /not looked up/);
  });
  it("turns unreadable processes into a note with the socket's user and what to run", () => {
    const note = ownerNote(sock({ owners: [], uid: 33 }), {
      ...resolved,
      deniedCount: 1,
      userOf: () => "www-data",
    });
    assert.equal(
      note,
      "owner unknown (socket of user www-data, uid 33): 1 process of other users could not be inspected; " +
        "run as root (sudo sockdoc closewait) to see it",
    );
  });
  it("falls back to the uid when it has no name", () => {
    assert.match(
      ownerNote(sock({ owners: [], uid: 1002 }), { ...resolved, deniedCount: 4 }) ?? "",
      /\(socket of uid 1002\): 4 processes/,
    );
  });
  it("says the owner may have exited when every process was readable", () => {
    assert.match(ownerNote(sock({ owners: [] }), resolved) ?? "", /may have just exited/);
  });
});
