/**
 * @module The few error classes sockdoc throws. Each carries a literal code
 * that maps to an exit code (DESIGN.md: 2 usage, 3 input, 4 not permitted).
 */

export type SockdocErrorCode = "USAGE" | "INPUT" | "PERMISSION";

export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  input: 3,
  permission: 4,
} as const;

export class SockdocError extends Error {
  readonly code: SockdocErrorCode;
  constructor(code: SockdocErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = "SockdocError";
  }

  get exitCode(): number {
    if (this.code === "USAGE") return EXIT.usage;
    if (this.code === "PERMISSION") return EXIT.permission;
    return EXIT.input;
  }
}

/** Bad command line or filter: exit 2. */
export class UsageError extends SockdocError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("USAGE", message, options);
    this.name = "UsageError";
  }
}

/** Input could not be read or parsed (names file, line, field): exit 3. */
export class InputError extends SockdocError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("INPUT", message, options);
    this.name = "InputError";
  }
}

/** Not permitted; the message says what to run instead: exit 4. */
export class PermissionError extends SockdocError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("PERMISSION", message, options);
    this.name = "PermissionError";
  }
}
