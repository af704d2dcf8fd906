import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { settingsFromSysctls } from "../../../src/analysis/time-wait/settings.js";

describe("settingsFromSysctls", () => {
  it("reads every value", () => {
    const { settings, warnings } = settingsFromSysctls({
      "net.ipv4.ip_local_port_range": "10000\t10999",
      "net.ipv4.ip_local_reserved_ports": "10500-10509,20000",
      "net.ipv4.tcp_tw_reuse": "1",
      "net.ipv4.tcp_tw_reuse_delay": "250",
      "net.ipv4.tcp_timestamps": "0",
      "net.ipv4.tcp_max_tw_buckets": "5000",
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(settings.portRange, [10000, 10999]);
    assert.equal(settings.reservedPorts, 10);
    assert.equal(settings.twReuse, 1);
    assert.equal(settings.twReuseDelayMs, 250);
    assert.equal(settings.timestamps, 0);
    assert.equal(settings.maxTwBuckets, 5000);
  });

  it("falls back to the kernel defaults and says which", () => {
    const { settings, warnings } = settingsFromSysctls({});
    assert.deepEqual(settings.portRange, [32768, 60999]);
    assert.equal(settings.reservedPorts, 0);
    assert.equal(settings.twReuse, null);
    assert.equal(settings.twReuseDelayMs, 1000);
    assert.equal(settings.maxTwBuckets, null);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /ip_local_port_range not readable; assuming the default 32768-60999/);
  });

  it("warns about garbled values instead of failing", () => {
    const { settings, warnings } = settingsFromSysctls({
      "net.ipv4.ip_local_port_range": "60999 1024",
      "net.ipv4.ip_local_reserved_ports": "80,,x",
      "net.ipv4.tcp_tw_reuse": "yes",
    });
    assert.deepEqual(settings.portRange, [32768, 60999]);
    assert.equal(settings.twReuse, null);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /not understood \("60999 1024"\)/);
    assert.match(warnings[1]!, /ip_local_reserved_ports not understood/);
  });

  it("says a capture lacks the port range, not that it is unreadable", () => {
    const { warnings } = settingsFromSysctls({}, "capture");
    assert.deepEqual(warnings, [
      "the capture lacks net.ipv4.ip_local_port_range (only a sosreport carries sysctls); " +
        "assuming the default 32768-60999",
    ]);
    assert.match(settingsFromSysctls({}).warnings[0]!, /^net.ipv4.ip_local_port_range not readable;/);
  });
});
