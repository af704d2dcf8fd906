/**
 * @module The dashboard's HTML: the frame the page script fills (it builds
 * every row from the API's JSON with textContent, so nothing from a socket
 * or a process is ever parsed as HTML). Every file it loads is this
 * server's own (/assets/...).
 */
import { stateDiagramSvg } from "./state-diagram.js";

export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sockdoc watch</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/uplot.css">
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/uplot.js" defer></script>
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>sockdoc watch <span id="host"></span></h1>
  <p id="status" role="status">connecting…</p>
  <label>window
    <select id="window">
      <option value="15m">15 min</option>
      <option value="1h" selected>1 hour</option>
      <option value="6h">6 hours</option>
      <option value="24h">24 hours</option>
      <option value="7d">7 days</option>
      <option value="14d">14 days</option>
    </select>
  </label>
</header>
<main>
  <section class="card wide" id="states-card">
    <h2>Sockets per state</h2>
    <div class="chart" id="states-chart"></div>
    <p class="note" id="states-note"></p>
  </section>
  <section class="card" id="diagram-card">
    <h2>TCP state diagram, live</h2>
    ${stateDiagramSvg()}
    <p class="note">Each box shows the sockets in that state at the latest sample.
    A connection reaches <b>CLOSE_WAIT</b> when the peer closed first; it leaves only when the
    application calls close(), so a count that keeps growing is a leak in that program.
    <b>TIME_WAIT</b> is the side that closed first keeping the port for 60 s; many of them
    towards one destination use up the ephemeral ports.</p>
  </section>
  <section class="card" id="closewait-card">
    <h2>CLOSE_WAIT per process</h2>
    <div class="chart" id="closewait-chart"></div>
    <div class="table-wrap"><table id="closewait-table">
      <thead><tr><th>process</th><th>port</th><th>cause</th><th class="num">now</th><th class="num">peak</th><th>first seen</th><th class="num">age</th></tr></thead>
      <tbody></tbody></table></div>
    <p class="note" id="closewait-note"></p>
  </section>
  <section class="card" id="timewait-card">
    <h2>TIME_WAIT per destination</h2>
    <div class="table-wrap"><table id="timewait-table">
      <thead><tr><th>local → remote</th><th class="num">now</th><th class="num">ports left</th><th class="num">rate /s</th><th>runs out in</th><th class="num">peak</th></tr></thead>
      <tbody></tbody></table></div>
    <p class="note">Ports left: ephemeral ports connect() can still pick for this destination.
    Runs out in: at the current close rate, when none would be left (blank: not on course to run out).</p>
  </section>
  <section class="card" id="events-card">
    <h2>Events</h2>
    <ol id="events" class="events"></ol>
  </section>
  <section class="card" id="findings-card">
    <h2>Advisor findings</h2>
    <ul id="findings" class="findings"></ul>
  </section>
  <section class="card wide" id="legend-card">
    <h2>How to read this</h2>
    <p>sockdoc watch samples the sockets every interval and keeps the history in its database
    (<code>sockdoc history</code> reads the same). The charts cover the selected window and update with
    every sample. CLOSE_WAIT groups are per process, port and cause; <i>first seen</i> is the first
    sample that saw the group's oldest socket, so the age is how long the leak has lasted at least.
    Events mark when a process starts or stops holding CLOSE_WAIT, restarts, when a destination's
    TIME_WAIT crosses warning or critical, and when a kernel setting changes. Findings are
    <code>sockdoc tune</code>'s advice on each sample.</p>
    <p>Also here: <a href="/metrics">/metrics</a> (Prometheus, from the same samples),
    <a href="/api/live">/api/live</a>, <a href="/api/history">/api/history</a> and <a href="/routes">the other routes</a>.</p>
  </section>
</main>
</body>
</html>
`;
}
