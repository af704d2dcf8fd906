/**
 * @module Builds inet_diag filter programs (INET_DIAG_REQ_BYTECODE): small
 * programs the kernel runs on every socket of a dump before it spends time
 * reporting it. Pure. Only what sockdoc uses is here; the op codes and the
 * jump rules are those of include/uapi/linux/inet_diag.h and
 * net/ipv4/inet_diag.c (inet_diag_bc_run, inet_diag_bc_audit).
 *
 * A program is a list of 4-byte ops {code u8, yes u8, no u16}; a port
 * comparison is followed by a second op whose `no` field holds the port. The
 * kernel runs from the start: a true condition jumps `yes` bytes, a false one
 * `no` bytes. Landing exactly on the end accepts the socket; landing 4 bytes
 * past it rejects it.
 */

export const INET_DIAG_BC_S_GE = 2;
export const INET_DIAG_BC_S_LE = 3;

const OP_BYTES = 4;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const PORT_TEST_BYTES = 2 * OP_BYTES;

/**
 * Keeps only sockets whose local port is within [low, high] (both included).
 * TIME_WAIT sockets are tested on their local port too.
 */
export function localPortRangeProgram(low: number, high: number): Uint8Array {
  for (const port of [low, high]) {
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new RangeError(`port ${port} out of range`);
  }
  if (low > high) throw new RangeError(`empty port range ${low}-${high}`);
  const tests = [
    { code: INET_DIAG_BC_S_GE, port: low },
    { code: INET_DIAG_BC_S_LE, port: high },
  ];
  const length = tests.length * PORT_TEST_BYTES;
  const program = new Uint8Array(length);
  const view = new DataView(program.buffer);
  // The kernel reads the u16 fields in its own byte order.
  const le = HOST_LITTLE_ENDIAN;
  tests.forEach(({ code, port }, i) => {
    const at = i * PORT_TEST_BYTES;
    const left = length - at;
    view.setUint8(at, code);
    // True: on to the next test (or exactly the end: accept).
    view.setUint8(at + 1, PORT_TEST_BYTES);
    // False: 4 bytes past the end: reject.
    view.setUint16(at + 2, left + OP_BYTES, le);
    // The port op: only its `no` field is read.
    view.setUint16(at + 4 + 2, port, le);
  });
  return program;
}
