/**
 * @module The dashboard's files, all served by sockdoc itself (nothing from
 * a CDN): uPlot's script and style read once from its npm package (a
 * dependency, so node_modules has it in the repository and wherever sockdoc
 * is installed; resolved from this module, which works from dist/src and
 * from the one-file bundle alike), and the page's own script and style.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dashboardClient } from "./client.js";
import { DASHBOARD_CSS } from "./style.js";

export interface Asset {
  path: string;
  type: string;
  body: string;
}

export function dashboardAssets(): Asset[] {
  const require = createRequire(import.meta.url);
  const uplot = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), "utf8");
  return [
    { path: "/assets/uplot.js", type: "text/javascript; charset=utf-8", body: uplot("uPlot.iife.min.js") },
    { path: "/assets/uplot.css", type: "text/css; charset=utf-8", body: uplot("uPlot.min.css") },
    {
      path: "/assets/dashboard.js",
      type: "text/javascript; charset=utf-8",
      // The page script is a function of client.ts (type-checked with the DOM's types), called at load.
      body: `"use strict";\n(${dashboardClient.toString()})();\n`,
    },
    { path: "/assets/dashboard.css", type: "text/css; charset=utf-8", body: DASHBOARD_CSS },
  ];
}
