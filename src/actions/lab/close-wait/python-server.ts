/**
 * @module The not-accepted reproducer's server: Node accept()s every
 * connection as soon as it is queued, so a few lines of python3 (present
 * wherever node-gyp builds the addon) listen with a backlog and never accept.
 * The script arrives on stdin ("python3 - HOST PORT BACKLOG", a short command
 * line for ps and sockdoc); fd 3 is the lifeline: the script exits when the
 * lab closes it or dies. Prints {"listening": PORT} like the Node server.
 */

export const PYTHON_SERVER = `
import json, os, socket, sys
host, port, backlog = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((host, port))
s.listen(backlog)
print(json.dumps({"listening": s.getsockname()[1]}), flush=True)
os.read(3, 1)
`;

/** argv for python3: the script comes from stdin. */
export function pythonArgs(host: string, port: number, backlog: number): string[] {
  return ["-", host, String(port), String(backlog)];
}
