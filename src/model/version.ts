/** sockdoc's version: `--version` prints it, the exporter's build_info carries it. */
export const VERSION = "0.1.0";
