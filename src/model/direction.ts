/**
 * @module Which side opened a connection, one word for every analysis:
 * incoming = a local server accepted it (the group is named by the local
 * port); outgoing = this host connected out (named by the remote port, and
 * the one that can run a destination out of ephemeral ports).
 */
export type Direction = "incoming" | "outgoing";
