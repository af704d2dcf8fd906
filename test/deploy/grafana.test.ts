/**
 * deploy/grafana/sockdoc.json: a dashboard Grafana can import whose every
 * query uses only metrics sockdoc really exports, through the datasource
 * variable, filtered by the instance variable.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { exportedNames, namesIn, readDeploy } from "./support.js";

interface Target {
  expr: string;
  datasource?: { uid?: string };
}
interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query: unknown }> };
}

const dashboard = () => JSON.parse(readDeploy("grafana", "sockdoc.json")) as Dashboard;

function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

describe("deploy/grafana/sockdoc.json", () => {
  it("has a datasource variable and an instance variable from sockdoc's own series", () => {
    const vars = dashboard().templating.list;
    const ds = vars.find((v) => v.name === "datasource");
    assert.equal(ds?.type, "datasource");
    assert.equal(ds?.query, "prometheus");
    const instance = vars.find((v) => v.name === "instance");
    assert.match(JSON.stringify(instance?.query), /label_values\(sockdoc_[a-z_]+, instance\)/);
  });

  it("queries only metrics sockdoc exports, through $datasource, filtered by $instance", () => {
    const exported = exportedNames();
    const panels = allPanels(dashboard().panels).filter((p) => p.type !== "row");
    assert.ok(panels.length >= 10, `${panels.length} panels`);
    const used = new Set<string>();
    for (const p of panels) {
      assert.equal(p.datasource?.uid, "${datasource}", p.title);
      assert.ok(p.targets?.length, `${p.title}: no query`);
      for (const t of p.targets ?? []) {
        const names = namesIn(t.expr);
        assert.deepEqual(names.recorded, [], `${p.title}: a recording rule the site may not load`);
        assert.ok(names.metrics.length > 0, `${p.title}: ${t.expr}`);
        for (const m of names.metrics) {
          assert.ok(exported.has(m), `${p.title}: ${m} is not exported`);
          used.add(m);
        }
        // Each selector of a sockdoc metric carries the instance filter.
        const selectors = t.expr.match(/sockdoc_[a-z0-9_]+(\{[^}]*\})?/g) ?? [];
        for (const s of selectors) assert.match(s, /instance=~"\$instance"/, `${p.title}: ${s}`);
      }
    }
    // The dashboard shows states, CLOSE_WAIT per process, the port budget with its forecast and the counters.
    for (const m of [
      "sockdoc_tcp_sockets",
      "sockdoc_close_wait_process_sockets",
      "sockdoc_time_wait_destination_ports_free",
      "sockdoc_time_wait_destination_exhausted_in_seconds",
      "sockdoc_tcpext_time_wait_overflow_total",
      "sockdoc_sockstat_tcp_tw",
    ])
      assert.ok(used.has(m), `no panel shows ${m}`);
  });
});
