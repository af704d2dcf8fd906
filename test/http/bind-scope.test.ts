import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isLoopbackAddress } from "../../src/http/bind-scope.js";

describe("isLoopbackAddress", () => {
  it("is true for 127.0.0.0/8, ::1 and IPv4-mapped loopback", () => {
    for (const a of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "::FFFF:127.0.0.5"]) {
      assert.equal(isLoopbackAddress(a), true, a);
    }
  });
  it("is false for every-interface and other addresses", () => {
    for (const a of ["0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "::ffff:10.0.0.1", "fe80::1", "128.0.0.1"]) {
      assert.equal(isLoopbackAddress(a), false, a);
    }
  });
});
