// The entry bin/sockdoc runs: loads the bundle (dist/sockdoc.cjs) with V8's
// code cache (dist/sockdoc.cjs.codecache, made at build time by
// scripts/code-cache.mjs), so a command does not compile the half of the
// bundle it runs before running it: about 12 ms of every command on the
// 2-vCPU CI machine. V8 rejects a cache made by another Node (or for another
// bundle) and compiles as usual, so a stale or missing cache only costs time.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { Module, createRequire } = require("node:module");

const bundle = path.join(__dirname, "sockdoc.cjs");
const cacheFile = `${bundle}.codecache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // No cache (a build without it): compile as node would.
}
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, "utf8")), { filename: bundle, cachedData });
if (process.env.SOCKDOC_WRITE_CODE_CACHE === cacheFile) {
  // Build time only: keep what this run compiled, added to what it loaded.
  process.on("exit", () => fs.writeFileSync(cacheFile, script.createCachedData()));
}
const mod = new Module(bundle, null);
mod.filename = bundle;
mod.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, __dirname);
