/**
 * @module The dashboard's style: one column on a phone, two or three on a
 * laptop; wide tables scroll inside their card, never the page; light and
 * dark following the system.
 */
export const DASHBOARD_CSS = `
:root { --bg: #f6f7f9; --card: #fff; --fg: #1d2430; --muted: #5b6576; --line: #d9dee6;
  --leak: #c0392b; --wait: #b7791f; --ok: #2f855a; --accent: #2b6cb0; color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #14181f; --card: #1c222c; --fg: #e6e9ee; --muted: #9aa5b5; --line: #323b48;
    --leak: #ff7b6b; --wait: #f6c35b; --ok: #68d391; --accent: #7db4ff; }
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: baseline;
  padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--card); }
h1 { font-size: 1.15rem; margin: 0; }
h1 span { color: var(--muted); font-weight: normal; }
h2 { font-size: 1rem; margin: 0 0 .5rem; }
#status { margin: 0; color: var(--muted); flex: 1 1 12rem; min-width: 0; overflow-wrap: anywhere; }
main { display: grid; gap: 1rem; padding: 1rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 560px), 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: .75rem 1rem; min-width: 0; }
.card.wide { grid-column: 1 / -1; }
.chart { width: 100%; min-height: 120px; }
.note { color: var(--muted); font-size: .85rem; margin: .5rem 0 0; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { text-align: left; padding: .25rem .4rem; border-bottom: 1px solid var(--line);
  vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.gone td { color: var(--muted); }
.cmd { display: block; color: var(--muted); font-size: .8rem; }
.sev-critical { color: var(--leak); font-weight: 600; }
.sev-warning { color: var(--wait); font-weight: 600; }
.events, .findings { margin: 0; padding-left: 1.2rem; max-height: 22rem; overflow-y: auto;
  font-size: .85rem; overflow-wrap: anywhere; }
.events li, .findings li { margin-bottom: .35rem; }
.events time { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: .4rem; }
.kind { font-weight: 600; margin-right: .4rem; }
.kind-leak-start, .kind-leak-restart, .kind-timewait-critical { color: var(--leak); }
.kind-timewait-warning, .kind-setting { color: var(--wait); }
.kind-leak-end { color: var(--ok); }
code { font-size: .85em; }
select { font: inherit; }
a { color: var(--accent); }
#state-diagram { width: 100%; height: auto; max-height: 30rem; display: block; }
#state-diagram rect { fill: var(--card); stroke: var(--muted); stroke-width: 1.5; }
#state-diagram .leak rect { stroke: var(--leak); stroke-width: 2.5; }
#state-diagram .wait rect { stroke: var(--wait); stroke-width: 2.5; }
#state-diagram .state-name { font-size: 13px; font-weight: 600; fill: var(--fg); }
#state-diagram .state-count { font-size: 15px; fill: var(--accent); font-variant-numeric: tabular-nums; }
#state-diagram .leak .state-count { fill: var(--leak); }
#state-diagram .wait .state-count { fill: var(--wait); }
#state-diagram .edge { stroke: var(--muted); stroke-width: 1.3; }
#state-diagram .arrow-head { fill: var(--muted); }
#state-diagram .edge-label { font-size: 11px; fill: var(--muted); }
#state-diagram .path-title { font-size: 12px; font-style: italic; fill: var(--fg); }
.uplot { font-family: inherit; }
.u-legend { font-size: .8rem; }
`;
