// Bundles the compiled CLI (dist/src/cli/main.js and everything it imports,
// commander included) into one file, dist/sockdoc.mjs, which bin/sockdoc runs.
// One file instead of ~90 saves Node about 40 ms of module resolution and
// loading on every command (measured on the 2-vCPU CI machine), which is a
// tenth of a summary of 240,000 sockets. Tests import dist/src directly.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/src/cli/main.js"],
  outfile: "dist/sockdoc.mjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // commander is CommonJS: its require() calls need a real require in ESM.
  banner: {
    js: "import { createRequire as sockdocRequire } from 'node:module';\nconst require = sockdocRequire(import.meta.url);",
  },
  legalComments: "none",
  logLevel: "warning",
});
