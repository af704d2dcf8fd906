/**
 * @module The shapes `sockdoc tune apply` and `rollback` work with: a change
 * (name, old, new), what became of it, and the journal's records.
 */

export interface Change {
  name: string;
  old: string;
  new: string;
}

/**
 * would-apply: a dry run's plan. unchanged: already at that value, not
 * written. applied: written and read back. failed: the kernel refused it or
 * read back something else. restored: written, then put back because
 * another change of the batch failed. restore-failed: could not be put back.
 * skipped: not tried, an earlier change failed.
 */
export type ChangeOutcome =
  "would-apply" | "unchanged" | "applied" | "failed" | "restored" | "restore-failed" | "skipped";

export interface ChangeResult extends Change {
  outcome: ChangeOutcome;
  /** errno name or what was read back; null when fine. */
  error: string | null;
}

export interface JournalUser {
  uid: number | null;
  name: string | null;
  /** The user sudo ran us for (SUDO_USER). */
  sudoUser: string | null;
}

/** Who, where and when: the same for every record of one batch. */
export interface BatchContext {
  batch: string;
  time: Date;
  host: string;
  user: JournalUser;
  /** The sysctl directory written, e.g. "/proc/sys". */
  where: string;
  /** The network namespace ("net:[4026531840]"), null when unknown. */
  netns: string | null;
}

interface RecordBase {
  v: 1;
  time: string;
  batch: string;
  host: string;
  user: JournalUser;
}

/** Written before the value is: the old value is on disk before the kernel changes. */
export interface ChangeRecord extends RecordBase {
  action: "apply" | "rollback";
  name: string;
  old: string;
  new: string;
  where: string;
  netns: string | null;
  /** For a rollback: the batch it undoes. */
  of: string | null;
}

export interface ResultRecord extends RecordBase {
  action: "result";
  name: string;
  outcome: ChangeOutcome;
  error: string | null;
}

/** A sysctl.d file written (or restored): its content before, to put back. */
export interface PersistRecord extends RecordBase {
  action: "persist";
  file: string;
  /** Content before; null when the file did not exist. */
  previous: string | null;
  /** Content written; null when the file was removed. */
  content: string | null;
  of: string | null;
}

export type JournalRecord = ChangeRecord | ResultRecord | PersistRecord;
