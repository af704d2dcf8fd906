/**
 * @module The addon's tally of a dump (native/state-tally.h): the sockets no
 * analysis needed one by one, counted per kernel state and, when asked, per
 * local port and per remote address (model/state-tally.ts). Decoding is pure.
 */
import { ipv4FromBytes, ipv6FromBytes } from "../../model/endpoint.js";
import { InputError } from "../../model/errors.js";
import type { StateTally } from "../../model/state-tally.js";
import { AF_INET } from "./layout.js";

/** The tally from its words; a tally cut short is the addon's bug, told as bad input. */
export function decodeTally(words: Uint32Array): StateTally {
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  const word = (i: number): number => {
    if (i >= words.length) throw new InputError("sock_diag: a dump's tally is cut short");
    return words[i]!;
  };
  const states = words.slice(0, 16);
  if (states.length < 16) throw new InputError("sock_diag: a dump's tally is cut short");
  let i = 16;
  const ports: Array<[number, number]> = [];
  for (let n = word(i++); n > 0; n--, i += 2) ports.push([word(i), word(i + 1)]);
  const peers: Array<[string, number]> = [];
  for (let n = word(i++); n > 0; n--, i += 6) {
    word(i + 5);
    const text = word(i) === AF_INET ? ipv4FromBytes(bytes, (i + 2) * 4) : ipv6FromBytes(bytes, (i + 2) * 4);
    peers.push([text, word(i + 1)]);
  }
  return { states, ports, peers };
}
