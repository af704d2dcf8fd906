/**
 * @module The JSON form of a socket (DESIGN.md "JSON contract"): canonical
 * state names, owners null where the source cannot know them.
 */

import type { Endpoint } from "../model/endpoint.js";
import type { TcpSocket } from "../model/socket.js";
import { stateName } from "../model/tcp-state.js";

export interface SocketJson {
  family: "inet" | "inet6";
  state: string;
  local: EndpointJson;
  remote: EndpointJson;
  recvQ: number;
  sendQ: number;
  timer: { kind: string; expiresMs: number; retrans: number } | null;
  uid: number | null;
  inode: number | null;
  cookie: string | null;
  owners: Array<{ pid: number; comm: string; fd: number | null }> | null;
}

/** An endpoint; printed, service and resolved appear only for a capture's names (numeric ones are unchanged). */
export interface EndpointJson {
  address: string;
  port: number;
  printed?: string;
  service?: string;
  resolved?: false;
}

function endpointToJson(e: Endpoint): EndpointJson {
  const out: EndpointJson = { address: e.address, port: e.port };
  if (e.printed !== undefined) out.printed = e.printed;
  if (e.service !== undefined) out.service = e.service;
  if (e.resolved === false) out.resolved = false;
  return out;
}

export function socketToJson(s: TcpSocket): SocketJson {
  return {
    family: s.family === 4 ? "inet" : "inet6",
    state: stateName(s.state),
    local: endpointToJson(s.local),
    remote: endpointToJson(s.remote),
    recvQ: s.recvQ,
    sendQ: s.sendQ,
    timer: s.timer,
    uid: s.uid,
    inode: s.inode,
    cookie: s.cookie,
    owners: s.owners,
  };
}

/**
 * socketToJson's compact JSON text, made without the intermediate objects
 * (`ls --json` of 200k sockets: less garbage, a steadier peak). Endpoints
 * with printed names (captures) go through socketToJson.
 */
export function socketJsonText(s: TcpSocket): string {
  const plain = (e: Endpoint) => e.printed === undefined && e.service === undefined && e.resolved !== false;
  if (!plain(s.local) || !plain(s.remote)) return JSON.stringify(socketToJson(s));
  const t = s.timer;
  const timer =
    t === null ? "null" : `{"kind":"${t.kind}","expiresMs":${t.expiresMs},"retrans":${t.retrans}}`;
  return (
    `{"family":"${s.family === 4 ? "inet" : "inet6"}","state":"${stateName(s.state)}",` +
    `"local":{"address":${JSON.stringify(s.local.address)},"port":${s.local.port}},` +
    `"remote":{"address":${JSON.stringify(s.remote.address)},"port":${s.remote.port}},` +
    `"recvQ":${s.recvQ},"sendQ":${s.sendQ},"timer":${timer},"uid":${s.uid},"inode":${s.inode},` +
    `"cookie":${JSON.stringify(s.cookie)},"owners":${JSON.stringify(s.owners)}}`
  );
}
