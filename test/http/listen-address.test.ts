import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/model/errors.js";
import { parseListen } from "../../src/http/listen-address.js";

describe("parseListen", () => {
  it("takes a port, :port, host:port and [v6]:port; the host defaults to loopback", () => {
    assert.deepEqual(parseListen("9923"), { host: "127.0.0.1", port: 9923 });
    assert.deepEqual(parseListen(":9923"), { host: "127.0.0.1", port: 9923 });
    assert.deepEqual(parseListen("0.0.0.0:80"), { host: "0.0.0.0", port: 80 });
    assert.deepEqual(parseListen("[::1]:9923"), { host: "::1", port: 9923 });
    assert.deepEqual(parseListen("localhost:0"), { host: "localhost", port: 0 });
  });
  it("refuses what is not an address", () => {
    for (const bad of ["", "x", "1.2.3.4:", ":99999", "::1:80", "a:b:c"]) {
      assert.throws(() => parseListen(bad), UsageError, bad);
    }
  });
});
