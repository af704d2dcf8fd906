import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileFilter } from "../../src/filter/compile.js";
import type { Family } from "../../src/model/endpoint.js";
import { bareSocket, type TcpSocket } from "../../src/model/socket.js";
import { TcpState } from "../../src/model/tcp-state.js";

function sock(family: Family, state: TcpState, local: string, lport: number, remote: string, rport: number) {
  return bareSocket(family, state, { address: local, port: lport }, { address: remote, port: rport });
}

/** One socket per letter; the cases below say which letters a filter keeps. */
const SOCKETS: Record<string, TcpSocket> = {
  A: sock(4, TcpState.ESTABLISHED, "10.1.2.3", 40000, "93.184.216.34", 443),
  B: sock(4, TcpState.CLOSE_WAIT, "127.0.0.1", 8080, "127.0.0.1", 51000),
  C: sock(6, TcpState.TIME_WAIT, "2001:db8::5", 50000, "2001:db8:1::9", 80),
  D: sock(4, TcpState.LISTEN, "0.0.0.0", 22, "0.0.0.0", 0),
  E: sock(6, TcpState.ESTABLISHED, "::ffff:10.9.8.7", 22, "::ffff:192.168.1.10", 60000),
  F: sock(6, TcpState.CLOSE_WAIT, "::1", 5432, "::1", 33000),
  G: sock(4, TcpState.NEW_SYN_RECV, "10.0.0.1", 443, "172.16.0.5", 1023),
  H: sock(6, TcpState.LISTEN, "::", 80, "::", 0),
  I: sock(4, TcpState.FIN_WAIT2, "192.168.1.10", 1024, "10.1.2.3", 22),
  J: sock(4, TcpState.LISTEN, "*", 25, "*", 0),
  K: sock(4, TcpState.CLOSE, "10.0.0.2", 5000, "0.0.0.0", 0),
  L: sock(4, TcpState.SYN_SENT, "10.0.0.3", 41000, "10.0.0.4", 443),
};
const ALL = Object.keys(SOCKETS).join("");
const but = (letters: string) => [...ALL].filter((c) => !letters.includes(c)).join("");

/** [filter (split on spaces unless given as words), letters it keeps]. */
const CASES: Array<[string | string[], string]> = [
  // state names, ss spellings, groups
  ["state established", "AE"],
  ["state estab", "AE"],
  ["state ESTABLISHED", "AE"],
  ["state close-wait", "BF"],
  ["state CLOSE_WAIT", "BF"],
  ["state time-wait", "C"],
  ["state listen", "DHJ"],
  ["state syn-recv", "G"],
  ["state syn-sent", "L"],
  ["state fin-wait-2", "I"],
  ["state unconn", "K"],
  ["state closed", "K"],
  ["state connected", "ABCEFIL"],
  ["state synchronized", "ABCEFI"],
  ["state bucket", "CG"],
  ["state big", "ABDEFHIJKL"],
  ["state all", ALL],
  // several state words: union; exclude: removal, ss order
  ["state estab state close-wait", "ABEF"],
  ["exclude listen", but("DHJ")],
  ["excl listen exclude time-wait", but("CDHJ")],
  ["state connected exclude time-wait", "ABEFIL"],
  ["exclude listen state listen", ALL],
  // ports and every operator spelling
  ["sport = :22", "DE"],
  ["sport == 22", "DE"],
  ["sport eq :ssh", "DE"],
  ["sport :22", "DE"],
  ["dport = :443", "AL"],
  ["dport = :https", "AL"],
  ["dport 80", "C"],
  ["dport != :0", "ABCEFGIL"],
  ["dport ne :0", "ABCEFGIL"],
  ["dport neq :0", "ABCEFGIL"],
  ["sport < :1024", "DEGHJ"],
  ["sport lt 1024", "DEGHJ"],
  ["sport <= :1024", "DEGHIJ"],
  ["sport le :1024", "DEGHIJ"],
  ["sport leq :1024", "DEGHIJ"],
  ["sport > :1024", "ABCFKL"],
  ["sport gt :1024", "ABCFKL"],
  ["sport >= :1024", "ABCFIKL"],
  ["sport ge :1024", "ABCFIKL"],
  ["sport geq :1024", "ABCFIKL"],
  [["sport>=:1024"], "ABCFIKL"],
  ["dport = :1023", "G"],
  // addresses: v4, v6, mapped, wildcard, port-only
  ["src 10.0.0.0/8", "AEGKL"],
  ["src 10.1.2.3", "A"],
  ["src = 127.0.0.1", "B"],
  ["src == 127.0.0.1", "B"],
  ["src eq 127.0.0.1", "B"],
  ["src != 10.0.0.0/8", "BCDFHIJ"],
  ["dst 10.1.2.3:22", "I"],
  ["dst 10.1.2.3:80", ""],
  ["src :22", "DE"],
  ["src *:22", "DE"],
  ["src *", ALL],
  ["dst :0", "DHJK"],
  ["src 127.0.0.1/32", "B"],
  ["src 127.0.0.0/8:8080", "B"],
  ["dst 192.168.0.0/16", "E"],
  ["src [::1]", "F"],
  ["src ::1", "F"],
  ["dst [::1]:33000", "F"],
  ["src [2001:db8::]/32", "C"],
  ["src [2001:db8::/48]", "C"],
  ["dst [2001:db8::/48]", ""],
  ["dst [2001:db8::/32]:80", "C"],
  ["src ::ffff:10.0.0.0/104", "AEGKL"],
  ["src [::ffff:10.1.2.3]", "A"],
  ["src ::/0", "CEFH"],
  ["src 0.0.0.0/0", "ABDEGIKL"],
  ["src 0.0.0.0", "D"],
  ["src [::]", "H"],
  // not, and, or, parentheses, implicit and
  ["not state listen", but("DHJ")],
  ["not not state listen", "DHJ"],
  ["! sport = :22", but("DE")],
  [["!sport=:22"], but("DE")],
  ["state established and sport = :22", "E"],
  ["state established && sport = :22", "E"],
  ["state established & sport = :22", "E"],
  ["sport = :22 or dport = :22", "DEI"],
  ["sport = :22 || dport = :22", "DEI"],
  ["sport = :22 | dport = :22", "DEI"],
  ["state close-wait or state time-wait", "BCF"],
  ["sport = :22 dport = :60000", "E"],
  ["state close-wait sport = :8080", "B"],
  // precedence as in ss: and/or left to right, not binds one term
  ["sport = :22 or sport = :443 and state estab", "E"],
  ["state estab and sport = :22 or sport = :443", "EG"],
  ["sport = :22 or ( sport = :443 and state estab )", "DE"],
  ["state listen or state close-wait and sport = :8080", "B"],
  ["not sport = :22 and state listen", "HJ"],
  ["not ( sport = :22 and state listen )", but("D")],
  // leading state words apply to the whole expression, as in ss
  ["state listen sport = :22 or sport = :80", "DH"],
  [["( dport = :ssh or sport = :22 )"], "DEI"],
  ["src 10.0.0.0/8 and ( sport >= :1024 or not dst [::1] )", "AEGKL"],
  ["SPORT = :22", "DE"],
  [[], ALL],
];

describe("filter evaluation", () => {
  for (const [filter, expected] of CASES) {
    const words = typeof filter === "string" ? filter.split(" ").filter((w) => w !== "") : filter;
    it(`${JSON.stringify(words.join(" "))} keeps ${expected || "nothing"}`, () => {
      const compiled = compileFilter(words);
      const kept = Object.entries(SOCKETS)
        .filter(([, s]) => compiled.matches(s))
        .map(([name]) => name)
        .join("");
      assert.equal(kept, expected);
      // The kernel mask must never drop a matching socket.
      for (const name of kept) {
        const s = SOCKETS[name] as TcpSocket;
        assert.ok((compiled.mask >> s.state) & 1, `mask ${compiled.mask.toString(16)} drops ${name}`);
      }
    });
  }
});
