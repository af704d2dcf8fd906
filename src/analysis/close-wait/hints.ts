/**
 * @module Runtime hints: the usual reasons a recognised runtime or server
 * leaves sockets in CLOSE_WAIT for a given cause, and the usual fixes.
 * Hints, not verdicts: they say where such leaks commonly come from.
 */
import { CAUSE_TEXT } from "./cause.js";
import type { Runtime } from "./runtime.js";
import type { Cause } from "./types.js";

type HintTable = Partial<Record<Cause, string>> & { any?: string };

const HINTS: Record<Runtime, HintTable> = {
  java: {
    "eof-not-closed":
      "often a connection pool that keeps connections the server already closed, or responses and " +
      "streams not closed (use try-with-resources; close CloseableHttpResponse; return JDBC connections).",
    "fin-unread":
      "often idle connections in an HTTP client pool (Apache HttpClient, OkHttp) that nobody reads until " +
      "reuse: enable idle-connection eviction (evictIdleConnections / evictExpiredConnections, or " +
      "closeIdle on the pool). A thread dump (jstack PID) shows readers that are stuck instead.",
    "data-unread":
      "often response bodies never consumed (EntityUtils.consume(entity), or close the response); " +
      "a thread dump (jstack PID) shows whether the reader is blocked.",
    "not-accepted":
      "often all request threads busy (Tomcat maxThreads/acceptCount, Jetty acceptors) or a long GC " +
      "pause; a thread dump (jstack PID) shows where the acceptor waits.",
  },
  node: {
    "eof-not-closed":
      "a server created with allowHalfOpen: true that never calls socket.end() after 'end', or sockets " +
      "kept in a Map/array and never destroyed.",
    "fin-unread":
      "a paused socket never emits 'end' (pauseOnConnect, socket.pause(), backpressure never relieved), " +
      "or the event loop is blocked by synchronous work.",
    "data-unread":
      "a body nobody reads: an http.IncomingMessage never consumed (call res.resume() when the body is " +
      "not needed) or a stream left paused.",
    "not-accepted":
      "Node accepts on the event loop, so a blocked loop (long synchronous work, sync fs, a busy " +
      "cluster worker) stops accepting.",
  },
  python: {
    "eof-not-closed":
      "sockets, sessions or asyncio transports not closed after EOF: use `with` blocks; call " +
      "writer.close() and await writer.wait_closed() in asyncio.",
    "fin-unread":
      "often idle pooled connections in a requests.Session / urllib3 PoolManager that are only read on " +
      "reuse; close the Session when done. `py-spy dump --pid PID` shows a stuck reader.",
    "data-unread":
      "often requests/urllib3 responses never consumed or closed (stream=True without reading; use " +
      "`with requests.get(..., stream=True) as r:` or r.close()).",
    "not-accepted":
      "often all workers busy (gunicorn/uwsgi worker count, timeouts) or a blocking call inside an " +
      "asyncio event loop.",
  },
  go: {
    "eof-not-closed":
      "often resp.Body or a net.Conn not closed after io.EOF (defer resp.Body.Close()), or a leaked " +
      "goroutine holding the connection.",
    "fin-unread":
      "often idle http.Transport connections closed by the server and noticed only on reuse: set " +
      "Transport.IdleConnTimeout or call CloseIdleConnections(). A goroutine dump (SIGQUIT or pprof) " +
      "shows stuck readers.",
    "data-unread":
      "often response bodies not read to the end nor closed: io.Copy(io.Discard, resp.Body) then Close().",
    "not-accepted":
      "often the Accept loop goroutine is blocked or returned on an error, so nothing accepts any more.",
  },
  nginx: {
    any:
      "nginx closes client connections itself; CLOSE_WAIT under nginx usually means upstream keepalive " +
      "connections closed by the upstream (keep the upstream's idle timeout above nginx's " +
      "keepalive_timeout) or a worker blocked by a module or slow disk.",
    "not-accepted":
      "workers not accepting: worker_connections exhausted or workers blocked; check the error log " +
      "and the listen backlog= parameter.",
  },
  ruby: {
    any:
      "often Net::HTTP connections not finished or persistent connections without an idle timeout; " +
      "for puma/unicorn, busy threads stop accepting.",
  },
  php: {
    any:
      "often persistent connections (PDO::ATTR_PERSISTENT, *_pconnect) or curl handles kept open; " +
      "pm.max_children reached stops accepting.",
  },
  dotnet: {
    any:
      "often HttpClient created per request, or SocketsHttpHandler without PooledConnectionIdleTimeout / " +
      "PooledConnectionLifetime; undisposed Streams.",
  },
  apache: {
    any:
      "often mod_proxy backend keepalive (ProxyPass ... ttl= / disablereuse=On); MaxRequestWorkers " +
      "reached stops accepting.",
  },
  haproxy: {
    any: "check http-reuse and timeout server / timeout client; maxconn reached stops accepting.",
  },
  envoy: {
    any: "check the cluster idle_timeout and circuit breakers (max_connections).",
  },
};

export interface Hint {
  /** The runtime the hint speaks about; null for the generic advice. */
  runtime: Runtime | null;
  text: string;
}

/** The runtime's hint for this cause, else its general hint, else where to look in any code. */
export function hintFor(runtime: Runtime | null, cause: Cause): Hint {
  const table = runtime ? HINTS[runtime] : undefined;
  const text = table?.[cause] ?? table?.any;
  if (runtime && text) return { runtime, text: text.charAt(0).toUpperCase() + text.slice(1) };
  return { runtime: null, text: CAUSE_TEXT[cause].look };
}
