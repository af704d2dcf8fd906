import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CAUSE_TEXT } from "../../../src/analysis/close-wait/cause.js";
import { hintFor } from "../../../src/analysis/close-wait/hints.js";
import { recognizeRuntime } from "../../../src/analysis/close-wait/runtime.js";
import { CAUSES } from "../../../src/analysis/close-wait/types.js";

describe("recognizeRuntime", () => {
  const cases: Array<[string, string | null, string | null, boolean?]> = [
    ["java", "/usr/lib/jvm/bin/java -jar app.jar", "java"],
    ["node", "node server.js", "node"],
    ["MainThread", "/usr/bin/node /srv/app.js", "node"],
    ["python3.11", "/usr/bin/python3.11 app.py", "python"],
    ["gunicorn", "gunicorn: worker [app]", "python"],
    ["nginx", "nginx: worker process", "nginx"],
    ["php-fpm8.2", "php-fpm: pool www", "php"],
    ["consul", "consul agent", "go"],
    ["server", "/tmp/go-build123/b001/exe/server", "go"],
    ["myservice", "/opt/myservice", "go", true],
    ["myservice", "/opt/myservice", null],
    ["bash", null, null],
  ];
  for (const [comm, cmdline, want, goBinary] of cases) {
    it(`${comm} / ${cmdline ?? "(no cmdline)"} -> ${want}`, () => {
      assert.equal(recognizeRuntime({ comm, cmdline, goBinary: goBinary ?? false }), want);
    });
  }
});

describe("hintFor", () => {
  it("speaks the runtime's language for each cause of java, node, python and go", () => {
    for (const runtime of ["java", "node", "python", "go"] as const) {
      for (const cause of CAUSES) {
        const h = hintFor(runtime, cause);
        assert.equal(h.runtime, runtime, `${runtime} ${cause}`);
        assert.notEqual(h.text, CAUSE_TEXT[cause].look);
      }
    }
  });

  it("names the issue's examples", () => {
    assert.match(hintFor("node", "eof-not-closed").text, /allowHalfOpen/);
    assert.match(hintFor("node", "fin-unread").text, /paused socket never emits 'end'/);
    assert.match(hintFor("java", "fin-unread").text, /idle-connection eviction/);
    assert.match(hintFor("python", "data-unread").text, /requests\/urllib3 responses never consumed/);
  });

  it("uses a runtime's general hint for causes it has no specific one for", () => {
    const h = hintFor("nginx", "fin-unread");
    assert.equal(h.runtime, "nginx");
    assert.match(h.text, /upstream keepalive/);
  });

  it("falls back to where to look in any code for unknown programs", () => {
    assert.deepEqual(hintFor(null, "data-unread"), { runtime: null, text: CAUSE_TEXT["data-unread"].look });
  });
});
