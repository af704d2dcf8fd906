/**
 * @module What the tcp iterator's program (native/bpf-tcp-program.cc) needs
 * from the running kernel's BTF: the id of the iterator it attaches to
 * (bpf_iter_tcp, Linux 5.9+) and the offsets of the fields it reads, with
 * the reason when one is missing. Pure: a Btf in, offsets or a reason out.
 */
import type { Btf } from "./btf.js";
import { type FieldSpec, fieldOffsets } from "./field-offsets.js";

/** Byte offsets in the running kernel (the addon's TcpOffsets). */
export interface TcpOffsets {
  ctxMeta: number;
  ctxSkCommon: number;
  ctxUid: number;
  metaSeq: number;
  family: number;
  state: number;
  num: number;
  dport: number;
  rcvSaddr: number;
  daddr: number;
  v6RcvSaddr: number;
  v6Daddr: number;
  boundDevIf: number;
  twSubstate: number;
  twExpires: number;
  reqRetrans: number;
  reqExpires: number;
}

export const TCP_ITERATOR = "bpf_iter_tcp";

const FIELDS: ReadonlyArray<FieldSpec<keyof TcpOffsets>> = [
  ["ctxMeta", "bpf_iter__tcp", ["meta"], 8],
  ["ctxSkCommon", "bpf_iter__tcp", ["sk_common"], 8],
  ["ctxUid", "bpf_iter__tcp", ["uid"], 4],
  ["metaSeq", "bpf_iter_meta", ["seq"], 8],
  ["family", "sock_common", ["skc_family"], 2],
  ["state", "sock_common", ["skc_state"], 1],
  ["num", "sock_common", ["skc_num"], 2],
  ["dport", "sock_common", ["skc_dport"], 2],
  ["rcvSaddr", "sock_common", ["skc_rcv_saddr"], 4],
  ["daddr", "sock_common", ["skc_daddr"], 4],
  ["v6RcvSaddr", "sock_common", ["skc_v6_rcv_saddr"], 16],
  ["v6Daddr", "sock_common", ["skc_v6_daddr"], 16],
  ["boundDevIf", "sock_common", ["skc_bound_dev_if"], 4],
  ["twSubstate", "tcp_timewait_sock", ["tw_sk", "tw_substate"], 1],
  ["twExpires", "tcp_timewait_sock", ["tw_sk", "tw_timer", "expires"], 8],
  ["reqRetrans", "tcp_request_sock", ["req", "req", "num_retrans"], 1],
  ["reqExpires", "tcp_request_sock", ["req", "req", "rsk_timer", "expires"], 8],
];

/** The iterator's BTF id and the offsets, or a one-line reason why this kernel cannot give them. */
export function tcpIteratorOffsets(btf: Btf): { btfId: number; offsets: TcpOffsets } | { missing: string } {
  const btfId = btf.funcId(TCP_ITERATOR);
  if (btfId === null) return { missing: `the ${TCP_ITERATOR} iterator (Linux 5.9 or later)` };
  const found = fieldOffsets(btf, FIELDS);
  if ("missing" in found) return found;
  const { offsets } = found;
  // The IPv6 addresses are read as two 8-byte words each.
  if (offsets.v6RcvSaddr % 8 !== 0 || offsets.v6Daddr % 8 !== 0)
    return { missing: "8-byte aligned IPv6 addresses in struct sock_common" };
  return { btfId, offsets };
}
