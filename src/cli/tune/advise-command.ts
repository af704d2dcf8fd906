/**
 * @module `sockdoc tune advise` (also plain `sockdoc tune`): the advisor's
 * findings for this host as a table, JSON, ndjson or CSV.
 */
import { Command, Option } from "commander";
import { advise } from "../../analysis/advisor/index.js";
import { EXIT } from "../../model/errors.js";
import { SEVERITIES, type Severity, severityRank } from "../../model/severity.js";
import { envelope } from "../../render/envelope.js";
import { emit, emitJson, emitNdjson, tableOrCsv } from "../../render/output.js";
import { addOutputOptions, addSourceOptions, outputFormat, printWarnings } from "../common.js";
import { type AdviseOptions, gatherAdvice } from "./advise-input.js";
import { adviceText, FINDING_CSV } from "./advise-text.js";
import { ADVISE_HELP } from "./help.js";

interface Options extends AdviseOptions {
  failOn?: Severity;
}

export function failOnOption(what: string): Option {
  return new Option("--fail-on <severity>", `exit 1 when ${what} reaches this severity`).choices(SEVERITIES);
}

export function adviseCommand(): Command {
  const cmd = new Command("advise")
    .summary("which settings to change on this host, and why (the default)")
    .description("Advice on the kernel settings around CLOSE_WAIT and TIME_WAIT for this host.")
    .option(
      "--root <dir>",
      "read the sysctl config files under DIR (default /; not read for --input or --proc-root)",
    )
    .addOption(failOnOption("a finding"));
  addSourceOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText("after", ADVISE_HELP);
  return cmd.action(async (opts: Options) => {
    const format = outputFormat(opts);
    const { input, header, warnings } = await gatherAdvice(opts);
    printWarnings(warnings);
    const { findings, severity } = advise(input);
    if (format === "json") {
      const { worstOutgoing, timeWait, outgoingTimeWait, closeWait } = input.facts;
      emitJson({
        ...envelope("tune", { ...header, warnings: [] }, warnings),
        kernel: input.kernel,
        severity,
        findings,
        facts: { timeWait, outgoingTimeWait, closeWait, worstOutgoing: worstOutgoing ?? null },
      });
    } else if (format === "ndjson") emitNdjson(findings);
    else if (format === "csv") emit(tableOrCsv("csv", findings, FINDING_CSV));
    else
      emit(adviceText(findings, input.kernel, header.host.hostname, Object.keys(input.sysctls).length > 0));
    if (opts.failOn && severityRank(severity) >= severityRank(opts.failOn)) process.exitCode = EXIT.findings;
  });
}
