/**
 * @module The byte offsets a BPF program reads, looked up in the running
 * kernel's BTF by struct and member path, each of the size the program
 * loads; the first that is missing (or a bitfield, or another size) named.
 * Pure: shared by the programs' offset modules.
 */
import type { Btf } from "./btf.js";

/** [key, struct, member path, size in bytes] */
export type FieldSpec<K extends string> = readonly [K, string, readonly string[], number];

export function fieldOffsets<K extends string>(
  btf: Btf,
  fields: ReadonlyArray<FieldSpec<K>>,
): { offsets: Record<K, number> } | { missing: string } {
  const offsets: Partial<Record<K, number>> = {};
  for (const [key, struct, path, size] of fields) {
    const place = btf.memberPlace(struct, path);
    if (!place || place.bitfield || place.size !== size)
      return { missing: `struct ${struct}.${path.join(".")} of ${size} bytes` };
    offsets[key] = place.offset;
  }
  return { offsets: offsets as Record<K, number> };
}
