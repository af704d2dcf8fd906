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
export const INET_DIAG_BC_D_GE = 4;
export const INET_DIAG_BC_D_LE = 5;

const OP_BYTES = 4;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** A port test is two ops: the test, then one whose `no` field holds the port. */
const TEST_BYTES = 2 * OP_BYTES;
/** The addon refuses longer programs (native/inet-diag-dump.cc kMaxBytecode). */
const MAX_PROGRAM_BYTES = 4096;
/** Remote ports one program can list: two tests each, after the two of the local range. */
export const MAX_REMOTE_PORTS = MAX_PROGRAM_BYTES / TEST_BYTES / 2 - 1;

/** Where a test jumps: the next test, test number n, or past the end. */
type Target = "next" | "accept" | "reject" | number;

interface PortTest {
  code: number;
  port: number;
  yes: Target;
  no: Target;
}

/**
 * Lays the tests out one after another. The kernel's audit walks the `yes`
 * jumps from the start and wants them to end exactly at the end, and every
 * `no` jump to land on a test that walk reaches: so every `yes` here must
 * be "next", except that the last test's "next" is the end (accept).
 */
function assemble(tests: readonly PortTest[]): Uint8Array {
  const length = tests.length * TEST_BYTES;
  const program = new Uint8Array(length);
  const view = new DataView(program.buffer);
  // The kernel reads the u16 fields in its own byte order.
  const le = HOST_LITTLE_ENDIAN;
  const offset = (t: Target, i: number): number =>
    t === "next"
      ? (i + 1) * TEST_BYTES
      : t === "accept"
        ? length
        : t === "reject"
          ? length + OP_BYTES
          : t * TEST_BYTES;
  tests.forEach((test, i) => {
    const at = i * TEST_BYTES;
    if (test.yes !== "next" && !(test.yes === "accept" && i === tests.length - 1)) {
      throw new Error("bytecode: a yes jump other than to the next test would fail the kernel's audit");
    }
    view.setUint8(at, test.code);
    view.setUint8(at + 1, offset(test.yes, i) - at);
    view.setUint16(at + 2, offset(test.no, i) - at, le);
    view.setUint16(at + OP_BYTES + 2, test.port, le);
  });
  return program;
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port ${port} out of range`);
}

/**
 * Keeps only sockets whose local port is within [low, high] (both included)
 * and, when remotePorts is given, whose remote port is one of them (at most
 * MAX_REMOTE_PORTS). TIME_WAIT sockets are tested like the others.
 */
export function localPortRangeProgram(
  low: number,
  high: number,
  remotePorts?: readonly number[],
): Uint8Array {
  checkPort(low);
  checkPort(high);
  if (low > high) throw new RangeError(`empty port range ${low}-${high}`);
  const ports = [...new Set(remotePorts ?? [])].sort((a, b) => a - b);
  ports.forEach(checkPort);
  if (ports.length > MAX_REMOTE_PORTS) throw new RangeError(`more than ${MAX_REMOTE_PORTS} remote ports`);
  const tests: PortTest[] = [
    { code: INET_DIAG_BC_S_GE, port: low, yes: "next", no: "reject" },
    { code: INET_DIAG_BC_S_LE, port: high, yes: "next", no: "reject" },
  ];
  ports.forEach((port, k) => {
    const last = k === ports.length - 1;
    const nextAlternative: Target = last ? "reject" : tests.length + 2;
    if (last) {
      // remote >= port and remote <= port: the final yes lands on the end.
      tests.push({ code: INET_DIAG_BC_D_GE, port, yes: "next", no: "reject" });
      tests.push({ code: INET_DIAG_BC_D_LE, port, yes: "next", no: "reject" });
    } else {
      // remote >= port, and not remote >= port + 1 (then accept, through `no`).
      tests.push({ code: INET_DIAG_BC_D_GE, port, yes: "next", no: nextAlternative });
      tests.push({ code: INET_DIAG_BC_D_GE, port: port + 1, yes: "next", no: "accept" });
    }
  });
  return assemble(tests);
}
