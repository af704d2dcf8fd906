import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decodeCaptureText } from "../../src/capture/decode-text.js";
import { detectCaptureFormat, parserFor } from "../../src/capture/detect.js";
import { parseSs } from "../../src/capture/ss.js";
import { InputError } from "../../src/model/errors.js";
import { captureNames, captureText, readmeFacts } from "./captures-readme.js";

const facts = readmeFacts();

describe("detectCaptureFormat on every shared capture", () => {
  const names = captureNames();
  it("the README states a format for every capture file", () => {
    assert.ok(names.length >= 20);
    assert.deepEqual(
      names.filter((n) => !facts.has(n)),
      [],
    );
  });
  for (const name of names) {
    it(`${name} is ${facts.get(name)?.format}`, () => {
      assert.equal(detectCaptureFormat(captureText(name)), facts.get(name)?.format);
    });
  }

  it("a capture re-encoded as UTF-16 with a BOM is still detected after decoding", () => {
    const name = "jc__windows10_netstat-aon_crlf.txt";
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(captureText(name), "utf16le")]);
    assert.equal(detectCaptureFormat(decodeCaptureText(utf16)), "netstat-windows");
  });
});

describe("detectCaptureFormat on hand-written text", () => {
  const cases: Array<[string, string, string | null]> = [
    ["ss header only", "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n", "ss"],
    ["ss state-filtered header", "Recv-Q Send-Q Local Address:Port Peer Address:Port\n", "ss"],
    ["ss rows without header", "ESTAB 0 0 1.2.3.4:22 5.6.7.8:9\nTIME-WAIT 0 0 1.2.3.4:23 5.6.7.8:9\n", "ss"],
    [
      "headerless Linux netstat",
      "tcp        0      0 1.2.3.4:22     5.6.7.8:9     ESTABLISHED\n",
      "netstat-linux",
    ],
    [
      "Linux tcp6 row",
      "tcp6       0      0 :::22                   :::*                    LISTEN\n",
      "netstat-linux",
    ],
    [
      "BSD tcp6 row",
      "tcp6       0      0 *.22                   *.*                    LISTEN\n",
      "netstat-bsd",
    ],
    [
      "BSD header",
      "Active Internet connections (including servers)\nProto Recv-Q Send-Q  Local Address Foreign Address (state)\n",
      "netstat-bsd",
    ],
    [
      "Solaris",
      [
        "",
        "TCP: IPv4",
        "   Local Address        Remote Address    Swind Send-Q Rwind Recv-Q    State",
        "-------------------- -------------------- ----- ------ ----- ------ -----------",
        "      *.*                  *.*                0      0 49152      0 IDLE",
        "127.0.0.1.5999             *.*                0      0 49152      0 LISTEN",
        "10.0.0.5.22          10.0.0.9.50022       64128      0 49640      0 ESTABLISHED",
      ].join("\n"),
      "netstat-solaris",
    ],
    [
      "Windows rows only (any language)",
      "  TCP    0.0.0.0:135            0.0.0.0:0              ABH\u00d6REN\n",
      "netstat-windows",
    ],
    ["Windows title", "\r\nActive Connections\r\n\r\n", "netstat-windows"],
    [
      "/proc/net/tcp header only",
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
      "proc-net-tcp",
    ],
    [
      "/proc/net/tcp6 rows without header",
      "   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0\n",
      "proc-net-tcp6",
    ],
    ["netstat -s", "Tcp:\n    4200 active connection openings\n", null],
    ["prose", "the server was slow yesterday\n", null],
    ["empty", "", null],
  ];
  for (const [what, text, expected] of cases) {
    it(`${what} -> ${expected}`, () => assert.equal(detectCaptureFormat(text), expected));
  }
});

describe("parserFor", () => {
  it("gives parseSs for ss and wraps /proc parsing with the right family", () => {
    assert.equal(parserFor("ss"), parseSs);
    const tcp6 =
      "   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1 0\n";
    const parse = parserFor("proc-net-tcp6")(tcp6, "dump");
    assert.equal(parse.ownersKnown, false);
    assert.deepEqual(
      parse.sockets.map((s) => [s.family, s.local.address, s.local.port, s.inode]),
      [[6, "::1", 22, 7]],
    );
    assert.throws(() => parserFor("proc-net-tcp")(tcp6, "dump"), InputError);
  });
});

describe("detectCaptureFormat never throws", () => {
  it("on arbitrary text", () => {
    const piece = fc.constantFrom(
      "tcp",
      "tcp4",
      "TCP",
      "ESTAB",
      "LISTEN",
      "0",
      "1.2.3.4:5",
      "1.2.3.4.5",
      "*.*",
      "sl",
      "local_address",
      "0: 0100007F:0016",
      "Proto",
      "Recv-Q",
      "(state)",
      "\n",
      "\r\n",
      " ",
    );
    const text = fc.oneof(
      fc.string(),
      fc.array(piece, { maxLength: 60 }).map((a) => a.join(" ")),
    );
    fc.assert(
      fc.property(text, (t) => {
        const format = detectCaptureFormat(t);
        assert.ok(format === null || typeof format === "string");
      }),
      { numRuns: 3000 },
    );
  });
});
