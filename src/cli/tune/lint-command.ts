/**
 * @module `sockdoc tune lint`: the sysctl config files checked against each
 * other and the running kernel, findings with FILE:LINE.
 */
import { Command } from "commander";
import { lintConfig } from "../../analysis/advisor/lint/index.js";
import type { LintFinding } from "../../analysis/advisor/lint/types.js";
import { EXIT } from "../../model/errors.js";
import { type Severity, severityRank } from "../../model/severity.js";
import { emit, emitJson, emitNdjson, tableOrCsv } from "../../render/output.js";
import type { Column } from "../../render/table.js";
import { addOutputOptions, type CommonOptions, outputFormat, printWarnings } from "../common.js";
import { failOnOption } from "./advise-command.js";
import { tuneEnvelope } from "./envelope.js";
import { LINT_HELP } from "./help.js";
import { gatherLint } from "./lint-input.js";
import { lintText } from "./lint-text.js";

interface Options extends CommonOptions {
  root: string;
  failOn?: Severity;
}

const CSV: Column<LintFinding>[] = [
  { header: "file", value: (f) => f.file },
  { header: "line", value: (f) => f.line ?? "" },
  { header: "severity", value: (f) => f.severity },
  { header: "id", value: (f) => f.id },
  { header: "key", value: (f) => f.key ?? "" },
  { header: "value", value: (f) => f.value ?? "" },
  { header: "message", value: (f) => f.message },
];

export function lintCommand(): Command {
  const cmd = new Command("lint")
    .summary("check the sysctl config files (FILE:LINE findings)")
    .description("Check /etc/sysctl.conf and the sysctl.d files against each other and the running kernel.")
    .option("--root <dir>", "the files and proc/sys under DIR (a mounted image, a fixture)", "/")
    .addOption(failOnOption("a finding"));
  addOutputOptions(cmd);
  cmd.addHelpText("after", LINT_HELP);
  return cmd.action((opts: Options) => {
    const format = outputFormat(opts);
    const { input, warnings, hostname } = gatherLint(opts.root);
    printWarnings(warnings);
    const { findings, severity } = lintConfig(input);
    if (format === "json") {
      emitJson({
        ...tuneEnvelope(
          "tune-lint",
          { hostname, kernel: input.kernel },
          { kind: "config", detail: `sysctl config under ${opts.root}` },
          warnings,
        ),
        root: opts.root,
        files: input.files.map((f) => ({ path: f.path, shadows: f.shadows })),
        severity,
        findings,
      });
    } else if (format === "ndjson") emitNdjson(findings);
    else if (format === "csv") emit(tableOrCsv("csv", findings, CSV));
    else emit(lintText(findings, input, opts.root));
    if (opts.failOn && severityRank(severity) >= severityRank(opts.failOn)) process.exitCode = EXIT.findings;
  });
}
