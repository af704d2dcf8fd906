// Records the SHA-256 of the addon just built (build/<config>/sockdoc.node.sha256),
// run by binding.gyp after every build. sockdoc checks the addon against it
// before loading it: a damaged file (a cut copy, a bad disk) mapped into the
// process can crash it with SIGBUS, where a refused one falls back to /proc.
"use strict";
const { createHash } = require("node:crypto");
const { readFileSync, writeFileSync } = require("node:fs");

const [addon, stamp] = process.argv.slice(2);
if (!addon || !stamp) {
  console.error("usage: node write-stamp.cjs <sockdoc.node> <stamp file>");
  process.exit(2);
}
const bytes = readFileSync(addon);
writeFileSync(stamp, `sha256 ${createHash("sha256").update(bytes).digest("hex")} size ${bytes.length}\n`);
