/**
 * @module The not-accepted reproducer's server: Node accept()s every
 * connection as soon as it is queued, so a few lines of python3 (present
 * wherever node-gyp builds the addon) listen with a backlog and never accept.
 * Like the Node server it prints {"listening": PORT} and exits when its stdin
 * closes.
 */

export const PYTHON_SERVER = `
import json, socket, sys
host, port, backlog = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(backlog)
print(json.dumps({"listening": s.getsockname()[1]}), flush=True)
sys.stdin.read()
`;

/** argv for python3: the script and its arguments. */
export function pythonArgs(host: string, port: number, backlog: number): string[] {
  return ["-c", PYTHON_SERVER, host, String(port), String(backlog)];
}
