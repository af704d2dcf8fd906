import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderPrometheus } from "../../src/render/prometheus.js";

describe("renderPrometheus", () => {
  it("writes HELP, TYPE and one line per sample, labels in order", () => {
    const text = renderPrometheus([
      {
        name: "sockdoc_x",
        help: "What x is.",
        type: "gauge",
        samples: [{ labels: { a: "1", b: "two" }, value: 3 }, { value: 0.5 }],
      },
    ]);
    assert.equal(
      text,
      '# HELP sockdoc_x What x is.\n# TYPE sockdoc_x gauge\nsockdoc_x{a="1",b="two"} 3\nsockdoc_x 0.5\n',
    );
  });
  it("escapes label values and help text, and spells the special numbers", () => {
    const text = renderPrometheus([
      {
        name: "sockdoc_y",
        help: "back\\slash\nnewline",
        type: "counter",
        samples: [
          { labels: { comm: 'a"b\\c\nd' }, value: Infinity },
          { value: Number.NaN },
          { value: -Infinity },
        ],
      },
    ]);
    assert.equal(
      text,
      "# HELP sockdoc_y back\\\\slash\\nnewline\n# TYPE sockdoc_y counter\n" +
        'sockdoc_y{comm="a\\"b\\\\c\\nd"} +Inf\nsockdoc_y NaN\nsockdoc_y -Inf\n',
    );
  });
});
