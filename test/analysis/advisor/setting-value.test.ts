/**
 * Values checked the way the kernel checks them (bounds found by writing
 * into a network namespace on Linux 6.x), and compared the way it means them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  normalizeValue,
  parseKernelInt,
  sameValue,
  usedValue,
  valueProblem,
} from "../../../src/analysis/advisor/setting-value.js";

describe("parseKernelInt", () => {
  const cases: Array<[string, number | null]> = [
    ["42", 42],
    [" 42 ", 42],
    ["-5", -5],
    ["0x20", 32],
    ["010", 8],
    ["0", 0],
    ["-0x10", -16],
    ["9223372036854775807", null],
    ["08", null],
    ["+43", null],
    ["4.5", null],
    ["", null],
    ["lots", null],
  ];
  for (const [text, n] of cases) it(`"${text}" -> ${n}`, () => assert.equal(parseKernelInt(text), n));
});

describe("valueProblem", () => {
  const ok: Array<[string, string]> = [
    ["net.ipv4.tcp_tw_reuse", "2"],
    ["net.ipv4.tcp_fin_timeout", "-5"],
    ["net.ipv4.tcp_tw_reuse_delay", "60000"],
    ["net.ipv4.ip_local_port_range", "1024 65535"],
    ["net.ipv4.ip_local_port_range", "32768\t60999"],
    ["net.ipv4.ip_local_reserved_ports", "8080,9000-9100"],
    ["net.ipv4.ip_local_reserved_ports", ""],
    ["net.core.somaxconn", "0"],
    ["net.unknown.thing", "whatever"],
    // An unsigned long: LONG_MAX is what some distributions run with.
    ["fs.file-max", "9223372036854775807"],
    ["fs.file-max", "0x7fffffffffffffff"],
    ["fs.nr_open", "64"],
    ["fs.nr_open", "2147483584"],
    ["net.ipv4.tcp_fin_timeout", "2147483"],
    ["net.ipv4.tcp_keepalive_time", "-2147483"],
  ];
  for (const [name, value] of ok)
    it(`accepts ${name}=${value}`, () => assert.equal(valueProblem(name, value), null));
  const bad: Array<[string, string, RegExp]> = [
    ["net.ipv4.tcp_tw_reuse", "3", /from 0 to 2/],
    ["net.ipv4.tcp_tw_reuse", "-1", /from 0 to 2/],
    ["net.ipv4.tcp_tw_reuse_delay", "0", /from 1 to 60000/],
    ["net.ipv4.tcp_max_tw_buckets", "4294967296", /to 2147483647/],
    ["net.core.somaxconn", "-1", /from 0 to/],
    ["net.ipv4.tcp_keepalive_probes", "300", /from 0 to 255/],
    ["net.ipv4.tcp_fin_timeout", "abc", /whole number/],
    ["fs.file-max", "9223372036854775808", /from 0 to 9223372036854775807/],
    ["fs.file-max", "-1", /from 0 to 9223372036854775807/],
    ["fs.file-max", "many", /whole number/],
    ["fs.nr_open", "63", /from 64 to 2147483584/],
    ["fs.nr_open", "2147483647", /from 64 to 2147483584/],
    // Jiffies: INT_MAX / HZ, refused at HZ=1000 (the limit depends on HZ, so the message says so).
    ["net.ipv4.tcp_fin_timeout", "2147484", /from -2147483 to 2147483, .*depends on HZ/],
    ["net.ipv4.tcp_keepalive_time", "100000000", /from -2147483 to 2147483, .*jiffies/],
    ["net.ipv4.tcp_keepalive_intvl", "2147483647", /from -2147483 to 2147483/],
    ["net.ipv4.ip_local_port_range", "2000 1500", /LOW <= HIGH/],
    ["net.ipv4.ip_local_port_range", "1024 65536", /from 1 to 65535/],
    ["net.ipv4.ip_local_port_range", "5000", /two ports/],
    ["net.ipv4.ip_local_port_range", "1000 60999", /ip_unprivileged_port_start \(1024\)/],
    ["net.ipv4.ip_local_reserved_ports", "9100-9000", /ranges separated by commas/],
    ["net.ipv4.ip_local_reserved_ports", "70000", /ranges separated by commas/],
  ];
  for (const [name, value, re] of bad) {
    it(`refuses ${name}=${value}`, () => assert.match(valueProblem(name, value) ?? "", re));
  }
  it("takes ip_unprivileged_port_start from the host", () => {
    assert.equal(valueProblem("net.ipv4.ip_local_port_range", "500 600", { unprivilegedPortStart: 0 }), null);
  });
});

describe("comparing values", () => {
  it("means what the kernel means", () => {
    assert.ok(sameValue("net.ipv4.tcp_fin_timeout", "0x20", "32"));
    assert.ok(sameValue("net.ipv4.ip_local_port_range", "32768\t60999", " 32768  60999"));
    assert.ok(sameValue("net.ipv4.ip_local_reserved_ports", "9000-9100,8080", "8080,9000-9100"));
    assert.ok(!sameValue("net.ipv4.tcp_tw_reuse", "1", "2"));
    assert.ok(sameValue("fs.file-max", "0x7fffffffffffffff", "9223372036854775807"));
    assert.ok(!sameValue("fs.file-max", "9223372036854775807", "9223372036854775806"));
    assert.equal(normalizeValue("x.y", "  a\tb "), "a b");
  });

  it("reads only the numbers a config value starts with", () => {
    assert.deepEqual(usedValue("net.ipv4.tcp_fin_timeout", "30 # half"), { used: "30", trailing: true });
    assert.deepEqual(usedValue("net.ipv4.ip_local_port_range", "1024 65535"), {
      used: "1024 65535",
      trailing: false,
    });
    assert.deepEqual(usedValue("kernel.x", "a b"), { used: "a b", trailing: false });
  });
});
