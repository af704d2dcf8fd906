/**
 * @module ProcFs: the one root every /proc path goes through, so a whole host
 * can be faked by a fixture tree (--proc-root DIR).
 */
import { readdirSync, readFileSync, readlinkSync, statfsSync } from "node:fs";
import { join } from "node:path";

/** statfs's type for procfs. */
const PROC_SUPER_MAGIC = 0x9fa0;

export class ProcFs {
  private procfs: boolean | undefined;

  constructor(readonly root: string = "/proc") {}

  /** Whether the root is a mounted procfs (the kernel's own answers), not a fixture tree. */
  isProcfs(): boolean {
    if (this.procfs === undefined) {
      try {
        this.procfs = statfsSync(this.root).type === PROC_SUPER_MAGIC;
      } catch {
        this.procfs = false;
      }
    }
    return this.procfs;
  }

  path(...parts: Array<string | number>): string {
    return join(this.root, ...parts.map(String));
  }

  /** Whole file as text; throws the fs error (ENOENT, EACCES) unchanged. */
  read(...parts: Array<string | number>): string {
    return readFileSync(this.path(...parts), "latin1");
  }

  /** Whole file as text, or null when it is missing or unreadable. */
  tryRead(...parts: Array<string | number>): string | null {
    try {
      return this.read(...parts);
    } catch {
      return null;
    }
  }

  list(...parts: Array<string | number>): string[] {
    return readdirSync(this.path(...parts));
  }

  readlink(...parts: Array<string | number>): string {
    return readlinkSync(this.path(...parts));
  }

  /** The link's target, or null when it is missing or unreadable. */
  tryReadlink(...parts: Array<string | number>): string | null {
    try {
      return this.readlink(...parts);
    } catch {
      return null;
    }
  }

  /** Numeric entries of the root: the pids. */
  pids(): number[] {
    const pids: number[] = [];
    for (const name of this.list()) {
      const c = name.charCodeAt(0);
      if (c >= 48 && c <= 57) pids.push(Number(name));
    }
    return pids;
  }
}
