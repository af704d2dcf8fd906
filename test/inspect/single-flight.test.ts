import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { singleFlight } from "../../src/inspect/single-flight.js";

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("singleFlight", () => {
  it("gives callers that arrive during a call the same promise, and runs the function once", async () => {
    let calls = 0;
    const gate = deferred<string>();
    const shared = singleFlight(() => {
      calls++;
      return gate.promise;
    });
    const waiting = [shared(), shared(), shared()];
    assert.equal(waiting[0], waiting[1]);
    assert.equal(waiting[1], waiting[2]);
    gate.resolve("one");
    assert.deepEqual(await Promise.all(waiting), ["one", "one", "one"]);
    assert.equal(calls, 1);
  });

  it("starts a new call once the previous one has settled", async () => {
    let calls = 0;
    const shared = singleFlight(async () => ++calls);
    assert.equal(await shared(), 1);
    assert.equal(await shared(), 2);
  });

  it("hands a rejection to every waiting caller and forgets it", async () => {
    let calls = 0;
    const gate = deferred<string>();
    const shared = singleFlight(() => (++calls === 1 ? gate.promise : Promise.resolve("fresh")));
    const waiting = [shared(), shared()];
    gate.reject(new Error("dump failed"));
    for (const result of await Promise.allSettled(waiting)) {
      assert.equal(result.status, "rejected");
      assert.equal((result as PromiseRejectedResult).reason.message, "dump failed");
    }
    assert.equal(await shared(), "fresh");
    assert.equal(calls, 2);
  });

  it("turns a synchronous throw into a rejection", async () => {
    const shared = singleFlight<number>(() => {
      throw new Error("sync");
    });
    await assert.rejects(shared(), /sync/);
  });
});
