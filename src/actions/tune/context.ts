/**
 * @module Who, where and when, for the journal: the batch id, the user (and
 * the one sudo ran us for), the host and the network namespace, since net.*
 * settings belong to the namespace a process is in.
 */
import { randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import type { BatchContext, JournalUser } from "./types.js";

/** "20250102T030405Z-1a2b": sorts by time, unique enough for one host's journal. */
export function batchId(time: Date, random = randomBytes(2).toString("hex")): string {
  const stamp = time
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${random}`;
}

export function journalUser(): JournalUser {
  let name: string | null = null;
  try {
    name = userInfo().username;
  } catch {
    // A uid without a passwd entry (containers): the uid alone is recorded.
  }
  return { uid: process.geteuid?.() ?? null, name, sudoUser: process.env.SUDO_USER ?? null };
}

/** "net:[4026531840]" for this process; null where /proc/self/ns is not readable. */
export function currentNetns(): string | null {
  try {
    return readlinkSync("/proc/self/ns/net");
  } catch {
    return null;
  }
}

export function batchContext(where: string, time = new Date()): BatchContext {
  return { batch: batchId(time), time, host: hostname(), user: journalUser(), where, netns: currentNetns() };
}
