/**
 * @module Recognises the runtime or server behind a process from its name
 * and command line, so hints can speak its language. A guess from names, so
 * it is only ever used for hints.
 */

export type Runtime =
  "java" | "node" | "python" | "go" | "nginx" | "ruby" | "php" | "dotnet" | "apache" | "haproxy" | "envoy";

export interface RuntimeEvidence {
  comm: string;
  cmdline: string | null;
  /** Set by the caller when the executable carries Go build information. */
  goBinary?: boolean;
}

/** Well-known programs written in Go, by process name. */
const GO_PROGRAMS = new Set([
  "dockerd",
  "containerd",
  "containerd-shim",
  "kubelet",
  "kube-proxy",
  "kube-apiserver",
  "etcd",
  "consul",
  "vault",
  "nomad",
  "prometheus",
  "traefik",
  "caddy",
  "coredns",
  "grafana",
  "minio",
]);

const RULES: Array<[RegExp, Runtime]> = [
  [/^(java|javaw)$/, "java"],
  [/^(node|nodejs|bun|deno)$/, "node"],
  [/^(python[0-9.]*|gunicorn|uwsgi|celery|uvicorn|daphne|hypercorn)$/, "python"],
  [/^(nginx|openresty)$/, "nginx"],
  [/^(ruby[0-9.]*|puma|unicorn|passenger|sidekiq)$/, "ruby"],
  [/^(php|php-fpm[0-9.]*|php[0-9.]+)$/, "php"],
  [/^(dotnet)$/, "dotnet"],
  [/^(httpd|apache2)$/, "apache"],
  [/^(haproxy)$/, "haproxy"],
  [/^(envoy)$/, "envoy"],
];

function match(name: string): Runtime | null {
  const base = name.slice(name.lastIndexOf("/") + 1).toLowerCase();
  for (const [re, runtime] of RULES) if (re.test(base)) return runtime;
  if (GO_PROGRAMS.has(base)) return "go";
  return null;
}

/**
 * comm is cut to 15 characters and many launchers rename threads, so the
 * first word of the command line is checked too ("/usr/bin/python3 app.py",
 * "gunicorn: worker [app]"), and a "go run" build directory means Go.
 */
export function recognizeRuntime(e: RuntimeEvidence): Runtime | null {
  const argv0 = (e.cmdline ?? "").trim().split(/[\s:]+/)[0] ?? "";
  const found = match(e.comm) ?? (argv0 ? match(argv0) : null);
  if (found) return found;
  if (e.goBinary || /\/go-build[0-9]+\//.test(argv0)) return "go";
  return null;
}
