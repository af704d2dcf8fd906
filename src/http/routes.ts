/**
 * @module The app: named read-only routes, an index at / listing them, and
 * the same answers for every route: GET and HEAD served (HEAD: headers
 * only), any other method 405 with Allow, any other path 404. Later
 * interfaces (a dashboard, /api JSON) are more routes in the same list.
 */
import { type Context, Hono } from "hono";

export interface Route {
  path: string;
  /** One line for the index. */
  description: string;
  /** Answers GET (and HEAD, whose body hono drops). */
  get(c: Context): Response | Promise<Response>;
}

const ALLOW = "GET, HEAD";

export function buildApp(routes: readonly Route[]): Hono {
  const app = new Hono();
  const index: Route = {
    path: "/",
    description: "this list",
    get: (c) => c.text(`sockdoc\n\n${lines.join("\n")}\n`),
  };
  const all = [index, ...routes];
  const width = Math.max(...all.map((r) => r.path.length));
  const lines = all.map((r) => `  ${r.path.padEnd(width)}  ${r.description}`);
  for (const route of all) {
    app.get(route.path, (c) => route.get(c));
    // Registered after GET, so it only sees what GET (and HEAD) did not take.
    app.all(route.path, (c) =>
      c.text(`sockdoc: ${route.path} answers GET and HEAD only\n`, 405, { Allow: ALLOW }),
    );
  }
  app.notFound((c) => c.text("sockdoc: no such path (see /)\n", 404));
  app.onError((err, c) => {
    const message = firstLine(err.message);
    process.stderr.write(`sockdoc: warning: ${c.req.path}: ${message}\n`);
    return c.text(`sockdoc: ${message}\n`, 500);
  });
  return app;
}

/** Answers and warnings stay one line however the error was worded. */
export function firstLine(text: string): string {
  return text.split("\n", 1)[0]!.trim() || "unknown error";
}
