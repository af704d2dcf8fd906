/**
 * @module `ls` as a table or CSV straight from the netlink stream: each
 * socket becomes its printed row as it is visited (CompactTable), owners are
 * added after the fd scan, and no snapshot of records is built (the bench's
 * `ls -o` of 240k sockets: 325 MB before, 134 MB so). The snapshot path stays
 * for JSON, /proc, --proc-root and captures.
 */
import { CompactTable } from "../render/compact-table.js";
import { terminalWidth, writeChunks } from "../render/output.js";
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
