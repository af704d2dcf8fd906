/**
 * @module The app: named read-only routes, an index listing them (at /, or
 * at /routes when a route takes / itself, as the dashboard does), and the
 * same answers for every route: GET and HEAD served (HEAD: headers only),
 * any other method 405 with Allow, any other path 404. Every answer says
 * that a page may load nothing but this server's own files (a
 * Content-Security-Policy of 'self'), so no request leaves the host.
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

/** Only this server: scripts, styles, images, fetches and the event stream. */
const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

export function buildApp(routes: readonly Route[]): Hono {
  const app = new Hono();
  const index: Route = {
    path: routes.some((r) => r.path === "/") ? "/routes" : "/",
    description: "this list",
    get: (c) => c.text(`sockdoc\n\n${lines.join("\n")}\n`),
  };
  const all = [index, ...routes];
  const width = Math.max(...all.map((r) => r.path.length));
  const lines = all.map((r) => `  ${r.path.padEnd(width)}  ${r.description}`);
  app.use(async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });
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
