import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tokenize } from "../../src/filter/tokens.js";

/** Compact view of tokens: "kind:text@word.column" (op added for comparisons). */
function view(words: string[]): string[] {
  return tokenize(words).map((t) => `${t.kind}${t.op ? `(${t.op})` : ""}:${t.text}@${t.word}.${t.column}`);
}

describe("filter tokenizer", () => {
  const cases: Array<[string[], string[]]> = [
    [
      ["state", "close-wait", "dport", "=", ":443"],
      ["word:state@1.1", "word:close-wait@2.1", "word:dport@3.1", "cmp(eq):=@4.1", "word::443@5.1"],
    ],
    [["sport>=:1024"], ["word:sport@1.1", "cmp(ge):>=@1.6", "word::1024@1.8"]],
    [
      ["( dport = :ssh or sport = :22 )"],
      [
        "(:(@1.1",
        "word:dport@1.3",
        "cmp(eq):=@1.9",
        "word::ssh@1.11",
        "or:or@1.16",
        "word:sport@1.19",
        "cmp(eq):=@1.25",
        "word::22@1.27",
        "):)@1.31",
      ],
    ],
    [["!sport!=80"], ["not:!@1.1", "word:sport@1.2", "cmp(ne):!=@1.7", "word:80@1.9"]],
    [
      ["(src", "[::1])"],
      ["(:(@1.1", "word:src@1.2", "word:[::1]@2.1", "):)@2.6"],
    ],
    [
      ["a&&b||c", "&", "|"],
      ["word:a@1.1", "and:&&@1.2", "word:b@1.4", "or:||@1.5", "word:c@1.7", "and:&@2.1", "or:|@3.1"],
    ],
    [
      ["eq", "==", "neq", "ne", "lt", "<", "le", "leq", "<=", "gt", ">", "ge", "geq"],
      [
        "cmp(eq):eq@1.1",
        "cmp(eq):==@2.1",
        "cmp(ne):neq@3.1",
        "cmp(ne):ne@4.1",
        "cmp(lt):lt@5.1",
        "cmp(lt):<@6.1",
        "cmp(le):le@7.1",
        "cmp(le):leq@8.1",
        "cmp(le):<=@9.1",
        "cmp(gt):gt@10.1",
        "cmp(gt):>@11.1",
        "cmp(ge):ge@12.1",
        "cmp(ge):geq@13.1",
      ],
    ],
    [
      ["AND", "Or", "NOT"],
      ["and:AND@1.1", "or:Or@2.1", "not:NOT@3.1"],
    ],
    [["", "  ", "\t\n"], []],
    [["=>"], ["cmp(eq):=@1.1", "cmp(gt):>@1.2"]],
  ];
  for (const [words, expected] of cases) {
    it(`tokenizes ${JSON.stringify(words)}`, () => {
      assert.deepEqual(view(words), expected);
    });
  }

  it("marks tokens of a word holding several tokens as shared", () => {
    const [a, b] = tokenize(["sport", "=:1"]).slice(0, 2);
    assert.equal(a?.shared, false);
    assert.equal(b?.shared, true);
  });
});
