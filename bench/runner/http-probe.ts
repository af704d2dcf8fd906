/**
 * @module HTTP requests from inside the namespace, timed: one GET, a GET
 * sent while another is in flight, and N at once. Each connection ends with
 * a reset instead of a close, so that no TIME_WAIT socket is added to the
 * load the bench counts.
 */
import { Agent, get } from "node:http";
import type { Socket } from "node:net";
import type { HttpAnswer, HttpResult } from "./protocol.js";

const TIMEOUT_MS = 120_000;
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** GET url: wall time from the request to the last byte of the answer. */
export function httpGet(url: string, keepBody = false): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    // Keep-alive, so the server does not close first (that would leave TIME_WAIT).
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let socket: Socket | null = null;
    const t0 = nowMs();
    const finish = (answer: Omit<HttpAnswer, "ms" | "endMs">): void => {
      const end = nowMs();
      socket?.resetAndDestroy();
      agent.destroy();
      resolve({ ...answer, ms: end - t0, endMs: end });
    };
    const request = get(url, { agent }, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (keepBody) chunks.push(chunk);
      });
      response.on("end", () => {
        const answer: Omit<HttpAnswer, "ms" | "endMs"> = { status: response.statusCode ?? 0, bytes };
        if (keepBody) answer.body = Buffer.concat(chunks).toString("utf8");
        finish(answer);
      });
      response.on("error", (err) => finish({ status: 0, bytes, error: err.message }));
    });
    request.on("socket", (s) => {
      socket = s;
    });
    request.on("error", (err) => finish({ status: 0, bytes: 0, error: err.message }));
    request.setTimeout(TIMEOUT_MS, () => request.destroy(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)));
  });
}

/** GET `url`, then `delayMs` later GET `otherUrl`: how long the second waits while the first runs. */
export async function httpDuring(url: string, otherUrl: string, delayMs: number): Promise<HttpResult> {
  const first = httpGet(url);
  await new Promise((r) => setTimeout(r, delayMs));
  const other = await httpGet(otherUrl);
  return { answers: [await first, other] };
}

/** `count` GETs of url at once. */
export async function httpConcurrent(url: string, count: number): Promise<HttpResult> {
  return { answers: await Promise.all(Array.from({ length: count }, () => httpGet(url))) };
}
