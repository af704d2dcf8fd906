// Bundles the compiled CLI (dist/src/cli/main.js and everything it imports,
// commander included) into one file, dist/sockdoc.cjs, which bin/sockdoc runs.
// One file instead of ~90 saves Node about 40 ms of module resolution and
// loading on every command (measured on the 2-vCPU CI machine), a tenth of a
// summary of 240,000 sockets. CommonJS rather than ESM because then each
// module's require() of a Node built-in (net, crypto, readline...) runs only
// when that module is first used, as with separate files: an ESM bundle hoists
// every built-in import to the top and loads them all (about 25 ms more).
// Tests import dist/src directly.
import { copyFileSync } from "node:fs";
import { build } from "esbuild";

await build({
  entryPoints: ["dist/src/cli/main.js"],
  outfile: "dist/sockdoc.cjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // The modules find the install root and the addon from their own URL.
  define: { "import.meta.url": "sockdocBundleUrl" },
  banner: { js: "const sockdocBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // A native module: loaded from node_modules at run time, and only by watch and history.
  external: ["better-sqlite3"],
  legalComments: "none",
  logLevel: "warning",
});
// The entry that loads the bundle with its code cache (see start.cjs).
copyFileSync("scripts/start.cjs", "dist/start.cjs");
