/**
 * @module Accept queues per listener: connections waiting for accept() and
 * the backlog (where the source reports it). A queue at its backlog drops
 * new connections; the fullest listeners are kept (--top).
 */
import type { ListenerQueue } from "../../inspect/analyses/listeners.js";
import type { MetricFamily } from "../../render/prometheus.js";
import { capped, type Labels, leftOutFamily, perEntity } from "./entities.js";

/** Fullest first: by fill when the backlog is known, then by length. */
function fullestFirst(listeners: readonly ListenerQueue[]): ListenerQueue[] {
  const fill = (l: ListenerQueue) => (l.backlog ? l.queued / l.backlog : 0);
  return [...listeners].sort((a, b) => fill(b) - fill(a) || b.queued - a.queued || a.port - b.port);
}

export function listenerFamilies(
  listeners: readonly ListenerQueue[],
  top: number,
  scope: Labels,
): MetricFamily[] {
  const { kept, leftOut } = capped(fullestFirst(listeners), top);
  const labels = (l: ListenerQueue): Labels => ({
    ...scope,
    local_address: l.address,
    local_port: String(l.port),
  });
  return [
    perEntity(
      "sockdoc_listen_queue_length",
      "Connections waiting in a listener's accept queue (accepted by the kernel, not yet by the application).",
      kept,
      labels,
      (l) => l.queued,
    ),
    perEntity(
      "sockdoc_listen_queue_backlog",
      "A listener's accept queue limit (the listen() backlog, capped by net.core.somaxconn); absent from /proc.",
      kept,
      labels,
      (l) => l.backlog,
    ),
    leftOutFamily("sockdoc_listeners_left_out", "Listening sockets", leftOut, scope),
  ];
}
