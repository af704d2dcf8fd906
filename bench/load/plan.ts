/**
 * @module Splits a socket mix over worker processes (pure). A process may
 * hold only so many fds here, so CLOSE_WAIT holders and ESTABLISHED pairs
 * are spread; TIME_WAIT is spread over destinations so that no
 * (source, destination, port) triple runs short of ephemeral ports.
 */
import type { CloseWaitSettings } from "./close-wait-worker.js";
import type { EstablishedSettings } from "./established-worker.js";
import type { TimeWaitSettings } from "./time-wait-worker.js";

export interface Mix {
  /** TIME_WAIT sockets. */
  tw: number;
  /** CLOSE_WAIT sockets (each also leaves a FIN_WAIT_2 orphan). */
  cw: number;
  /** ESTABLISHED pairs (two sockets each). */
  estab: number;
}

export interface LoadPlan {
  closeWait: CloseWaitSettings[];
  established: EstablishedSettings[];
  timeWait: TimeWaitSettings[];
  /** LISTEN sockets that stay while the load is up. */
  listeners: number;
}

export const CONCURRENCY = 256;
/** Listening ports sit below the ephemeral range (1024-65535 in the namespace). */
const CLOSE_WAIT_PORT = 200;
const ESTABLISHED_PORT = 400;
const TIME_WAIT_PORT = 600;
/** Keep each destination's share of the 64,512 ephemeral ports under 40%. */
const TW_PER_DESTINATION = 25_000;
const TW_PORTS_PER_WORKER = 2;

/** Split total into n near-equal parts. */
export function split(total: number, n: number): number[] {
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

/** How many workers hold `total` items at most `perWorker` each. */
function workersFor(total: number, perWorker: number): number {
  return total <= 0 ? 0 : Math.ceil(total / perWorker);
}

/**
 * fdLimit is the most fds one worker may hold; twWorkers how many TIME_WAIT
 * makers run at once (one per core is plenty).
 */
export function planLoad(mix: Mix, fdLimit: number, twWorkers: number): LoadPlan {
  const perHolder = fdLimit - CONCURRENCY - 64;
  const closeWait = split(mix.cw, workersFor(mix.cw, perHolder)).map((count, i) => ({
    port: CLOSE_WAIT_PORT + i,
    count,
    concurrency: CONCURRENCY,
  }));
  const pairsPerWorker = Math.floor(perHolder / 2);
  const established = split(mix.estab, workersFor(mix.estab, pairsPerWorker)).map((count, i) => ({
    port: ESTABLISHED_PORT + i,
    count,
    concurrency: CONCURRENCY,
  }));
  const makers = mix.tw > 0 ? Math.max(1, twWorkers) : 0;
  const destinationsPerHost = Math.max(1, makers * TW_PORTS_PER_WORKER);
  const hostCount = Math.min(
    254,
    Math.max(4, Math.ceil(mix.tw / (destinationsPerHost * TW_PER_DESTINATION))),
  );
  const hosts = Array.from({ length: hostCount }, (_, i) => `127.0.0.${i + 1}`);
  const timeWait = split(mix.tw, makers).map((count, i) => ({
    ports: Array.from(
      { length: TW_PORTS_PER_WORKER },
      (_, p) => TIME_WAIT_PORT + i * TW_PORTS_PER_WORKER + p,
    ),
    hosts,
    count,
    concurrency: CONCURRENCY,
  }));
  return { closeWait, established, timeWait, listeners: closeWait.length + established.length };
}

/** Sockets the mix puts in the namespace, listeners included. */
export function socketTotal(mix: Mix, listeners: number): number {
  return mix.tw + 2 * mix.cw + 2 * mix.estab + listeners;
}

/** The mix scaled so that it makes about `sockets` sockets. */
export function scaleMix(mix: Mix, sockets: number): Mix {
  const factor = sockets / socketTotal(mix, 0);
  return {
    tw: Math.round(mix.tw * factor),
    cw: Math.round(mix.cw * factor),
    estab: Math.round(mix.estab * factor),
  };
}
