/**
 * @module The TCP state diagram of the dashboard, drawn as inline SVG: how a
 * connection opens, then the two ways it closes — the passive close
 * (ESTABLISHED → CLOSE_WAIT → LAST_ACK → CLOSED: the peer closed first, and
 * this side stays in CLOSE_WAIT until its application calls close()) and the
 * active close (ESTABLISHED → FIN_WAIT1 → FIN_WAIT2 → TIME_WAIT → CLOSED:
 * this side closed first and keeps the port for 2MSL). After RFC 793's
 * figure 6, redrawn. Each state box has an empty count (id "n-STATE") the
 * page script fills from the live samples. Static markup: no data in it.
 */

const W = 150;
const H = 46;

interface Box {
  state: string;
  x: number;
  y: number;
  /** The two CLOSED boxes count nothing (no socket lingers there). */
  counted?: boolean;
  tone?: "leak" | "wait";
}

const BOXES: Box[] = [
  { state: "LISTEN", x: 20, y: 10 },
  { state: "SYN_RECV", x: 245, y: 10 },
  { state: "SYN_SENT", x: 470, y: 10 },
  { state: "ESTABLISHED", x: 245, y: 100 },
  { state: "CLOSE_WAIT", x: 20, y: 200, tone: "leak" },
  { state: "LAST_ACK", x: 20, y: 310 },
  { state: "CLOSED", x: 20, y: 420, counted: false },
  { state: "FIN_WAIT1", x: 470, y: 180 },
  { state: "CLOSING", x: 245, y: 265 },
  { state: "FIN_WAIT2", x: 470, y: 265 },
  { state: "TIME_WAIT", x: 470, y: 350, tone: "wait" },
  { state: "CLOSED ", x: 470, y: 440, counted: false },
];

type Side = "top" | "bottom" | "left" | "right";

function at(state: string, side: Side): [number, number] {
  const b = BOXES.find((x) => x.state === state)!;
  if (side === "top") return [b.x + W / 2, b.y];
  if (side === "bottom") return [b.x + W / 2, b.y + H];
  if (side === "left") return [b.x, b.y + H / 2];
  return [b.x + W, b.y + H / 2];
}

/** [from, side, to, side, label, label placement]. */
const EDGES: Array<[string, Side, string, Side, string, "above" | "left" | "right" | "below"]> = [
  ["LISTEN", "right", "SYN_RECV", "left", "recv SYN", "above"],
  ["SYN_RECV", "bottom", "ESTABLISHED", "top", "recv ACK", "right"],
  ["SYN_SENT", "bottom", "ESTABLISHED", "right", "recv SYN+ACK", "right"],
  ["ESTABLISHED", "left", "CLOSE_WAIT", "top", "recv FIN, send ACK", "left"],
  ["CLOSE_WAIT", "bottom", "LAST_ACK", "top", "app calls close(): send FIN", "right"],
  ["LAST_ACK", "bottom", "CLOSED", "top", "recv ACK", "right"],
  ["ESTABLISHED", "right", "FIN_WAIT1", "left", "close(): send FIN", "above"],
  ["FIN_WAIT1", "bottom", "FIN_WAIT2", "top", "recv ACK", "right"],
  ["FIN_WAIT1", "left", "CLOSING", "top", "recv FIN", "left"],
  ["CLOSING", "right", "TIME_WAIT", "left", "recv ACK", "below"],
  ["FIN_WAIT2", "bottom", "TIME_WAIT", "top", "recv FIN, send ACK", "right"],
  ["TIME_WAIT", "bottom", "CLOSED ", "top", "2MSL: 60 s on Linux", "right"],
];

function edge([from, fs, to, ts, label, place]: (typeof EDGES)[number]): string {
  const [x1, y1] = at(from, fs);
  const [x2, y2] = at(to, ts);
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  const [lx, ly, anchor] =
    place === "above"
      ? [mx, my - 6, "middle"]
      : place === "below"
        ? [mx, my + 14, "middle"]
        : place === "left"
          ? [mx - 6, my, "end"]
          : [mx + 6, my, "start"];
  return (
    `<line class="edge" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#arrow)"/>` +
    `<text class="edge-label" x="${lx}" y="${ly}" text-anchor="${anchor}">${label}</text>`
  );
}

function box(b: Box): string {
  const name = b.state.trim();
  const tone = b.tone ? ` ${b.tone}` : "";
  const count =
    b.counted === false
      ? ""
      : `<text class="state-count" id="n-${name}" x="${b.x + W / 2}" y="${b.y + 38}" text-anchor="middle">–</text>`;
  return (
    `<g class="state${tone}" data-state="${name}"><rect x="${b.x}" y="${b.y}" width="${W}" height="${H}" rx="6"/>` +
    `<text class="state-name" x="${b.x + W / 2}" y="${b.y + (b.counted === false ? 28 : 18)}" text-anchor="middle">${name}</text>${count}</g>`
  );
}

export function stateDiagramSvg(): string {
  return (
    `<svg id="state-diagram" viewBox="0 0 640 512" role="img" aria-labelledby="diagram-title">` +
    `<title id="diagram-title">TCP states: how a connection reaches CLOSE_WAIT and TIME_WAIT, with the sockets in each state now</title>` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head"/></marker></defs>` +
    `<text class="path-title" x="20" y="505">↑ passive close: the peer closed first</text>` +
    `<text class="path-title" x="620" y="505" text-anchor="end">active close: this side closed first ↑</text>` +
    EDGES.map(edge).join("") +
    BOXES.map(box).join("") +
    `</svg>`
  );
}
