/**
 * @module `ls` as a table or CSV straight from the netlink stream: each
 * socket becomes its printed row as it is visited (CompactTable), owners are
 * added after the fd scan, and no snapshot of records is built. 200k sockets
 * then fit the bench's 150 MB; the snapshot path stays for /proc, --proc-root
 * and captures.
 */
import { CompactTable } from "../render/compact-table.js";
import { envelope } from "../render/envelope.js";
import { emitJsonTextArray, emitNdjsonText, terminalWidth, writeChunks } from "../render/output.js";
import { socketToJson } from "../render/socket-json.js";
import { type OwnerKey, ownerKey, ownersByKey, streamLive } from "../sources/live-stream.js";
import { type CommonOptions, liveRequest, printWarnings } from "./common.js";
import { formatOwners, socketColumns } from "./socket-columns.js";

/** False (having printed nothing) when the stream cannot be read here: use the snapshot. */
export async function streamLsRows(
  words: string[],
  opts: CommonOptions & { processes?: boolean; timers?: boolean },
  format: "table" | "csv",
): Promise<boolean> {
  if (opts.input !== undefined) return false;
  const { request } = liveRequest(words, opts, false);
  const columns = socketColumns({ timers: Boolean(opts.timers) });
  const table = new CompactTable(columns);
  const keys: OwnerKey[] = [];
  const header = streamLive(request, (socket) => {
    table.add(columns.map((c) => c.value(socket)));
    if (opts.processes) keys.push(ownerKey(socket));
  });
  if (header === null) return false;
  if (opts.processes) {
    const owners = ownersByKey(request.proc, keys);
    printWarnings(owners.warnings);
    const column = socketColumns({ processes: true }).at(-1)!;
    table.addColumn(column, (i) => {
      const key = keys[i]!;
      return formatOwners({ owners: owners.ownersOf(key), inode: key > 0 ? key : null });
    });
  }
  await writeChunks(format === "csv" ? table.csvChunks() : table.tableChunks(terminalWidth()));
  return true;
}

/** How socketToJson's text ends for a socket whose owners are not looked up. */
const NO_OWNERS_END = "null}";

/**
 * `ls --json` / `--format ndjson` piped, from the netlink stream: each socket
 * kept as its JSON text up to its owners, which are filled in when written.
 * The same bytes as the snapshot path. False (nothing printed) when the
 * stream cannot be read here or stdout is a terminal (indented JSON).
 */
export async function streamLsJson(
  words: string[],
  opts: CommonOptions & { processes?: boolean },
  format: "json" | "ndjson",
): Promise<boolean> {
  if (opts.input !== undefined || (format === "json" && process.stdout.isTTY)) return false;
  const { request } = liveRequest(words, opts, false);
  const rows: string[] = [];
  const keys: OwnerKey[] = [];
  const header = streamLive(request, (socket) => {
    const text = JSON.stringify(socketToJson(socket));
    rows.push(text.slice(0, -NO_OWNERS_END.length));
    if (opts.processes) keys.push(ownerKey(socket));
  });
  if (header === null) return false;
  let ownersText = (_: number): string => "null";
  if (opts.processes) {
    const owners = ownersByKey(request.proc, keys);
    printWarnings(owners.warnings);
    header.warnings.push(...owners.warnings);
    header.ownersResolved = true;
    ownersText = (i) => JSON.stringify(owners.ownersOf(keys[i]!));
  }
  const itemText = (i: number): string => `${rows[i]}${ownersText(i)}}`;
  if (format === "ndjson") await emitNdjsonText(rows.length, itemText);
  else
    await emitJsonTextArray(
      { ...envelope("ls", header), total: rows.length },
      "sockets",
      rows.length,
      itemText,
    );
  return true;
}
