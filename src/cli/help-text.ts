/**
 * @module Help text shared by the commands that take a filter.
 */

export const FILTER_HELP = `
Filter (ss syntax; words may also be given as one quoted string):
  state STATE        keep sockets in STATE; repeat to add more. STATE is a name
                     (close-wait, time-wait, estab, listen, syn-sent, syn-recv,
                     fin-wait-1, fin-wait-2, last-ack, closing, closed) or a
                     group: all, connected, synchronized, bucket, big
  exclude STATE      drop sockets in STATE
  src|dst ADDR[/PREFIX][:PORT]    local / peer address, e.g. dst 10.0.0.0/8
  sport|dport OP [:]PORT          OP: = != < <= > >= (or eq ne lt le gt ge)
  and, or, not, ( )  combine; adjacent terms are joined by and

Examples:
  sockdoc ls state close-wait -p
  sockdoc ls state time-wait dport = :443 -o
  sockdoc summary exclude listen '( sport = :80 or sport = :443 )'`;
