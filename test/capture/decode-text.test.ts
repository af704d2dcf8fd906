import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeCaptureText, isCompressed } from "../../src/capture/decode-text.js";

const TEXT = "  Proto  Local Address\r\n  TCP    0.0.0.0:135 \u00e9\r\n";
const PLAIN = "  Proto  Local Address\n  TCP    0.0.0.0:135 \u00e9\n";

function utf16be(text: string): Buffer {
  return Buffer.from(text, "utf16le").swap16();
}

describe("decodeCaptureText", () => {
  const cases: Array<[string, Buffer]> = [
    ["UTF-8", Buffer.from(TEXT, "utf8")],
    ["UTF-8 with a BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, "utf8")])],
    ["UTF-16LE with a BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, "utf16le")])],
    ["UTF-16BE with a BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])],
    ["UTF-16LE without a BOM", Buffer.from(TEXT, "utf16le")],
    ["UTF-16BE without a BOM", utf16be(TEXT)],
  ];
  for (const [what, bytes] of cases) {
    it(`${what} -> text with \\n line ends`, () => assert.equal(decodeCaptureText(bytes), PLAIN));
  }

  it("turns Windows's CR CR LF and lone CRs into \\n", () => {
    assert.equal(decodeCaptureText(Buffer.from("a\r\r\nb\rc\n")), "a\nb\nc\n");
  });

  it("leaves an odd trailing byte of UTF-16 out instead of failing", () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("ab", "utf16le"),
      Buffer.from([0x41]),
    ]);
    assert.match(decodeCaptureText(bytes), /^ab/);
  });
});

describe("isCompressed", () => {
  it("knows gzip and xz, not text", () => {
    assert.equal(isCompressed(Buffer.from([0x1f, 0x8b, 8, 0])), true);
    assert.equal(isCompressed(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0])), true);
    assert.equal(isCompressed(Buffer.from("tcp 0 0")), false);
    assert.equal(isCompressed(Buffer.alloc(0)), false);
  });
});
