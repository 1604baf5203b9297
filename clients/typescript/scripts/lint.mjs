#!/usr/bin/env node
// `npm run lint`: Redocly CLI (`recommended`, redocly.yaml) and Spectral (`spectral:oas`,
// .spectral.yaml) on ../../openapi/openapi.json. Both always run, so one CI log shows every
// finding. Exit 1 when either reports an error OR a warning: the goal is 0 and 0.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const doc = "../../openapi/openapi.json";
const bin = (name) => join(here, "node_modules", ".bin", name);
// Offline and quiet in CI: no usage telemetry, no update notices.
const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
let failed = false;

// Redocly fails only on errors, and has no switch to fail on warnings: read its JSON report.
console.log(`$ redocly lint ${doc} --config redocly.yaml`);
const redocly = spawnSync(bin("redocly"), ["lint", doc, "--config", "redocly.yaml", "--format", "json", "--max-problems", "10000"], {
  cwd: here,
  env,
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
});
let report;
try {
  report = JSON.parse(redocly.stdout);
} catch {
  process.stderr.write(redocly.stdout + redocly.stderr);
  console.error("redocly: no JSON report");
  process.exit(1);
}
for (const p of report.problems) {
  const at = p.location?.[0];
  const line = at?.start ? `${at.start.line}:${at.start.col}` : "";
  console.log(`  ${p.severity.padEnd(7)} ${p.ruleId.padEnd(32)} ${line.padEnd(9)} ${decodeURIComponent(at?.pointer ?? "")}\n${" ".repeat(51)}${p.message}`);
}
const { errors, warnings } = report.totals;
console.log(`redocly: ${errors} errors, ${warnings} warnings`);
if (errors > 0 || warnings > 0 || redocly.status !== 0) failed = true;

// Spectral: --fail-severity=warn makes warnings fail too.
console.log(`\n$ spectral lint ${doc} --ruleset .spectral.yaml --fail-severity=warn`);
const spectral = spawnSync(bin("spectral"), ["lint", doc, "--ruleset", ".spectral.yaml", "--fail-severity=warn"], {
  cwd: here,
  env,
  stdio: "inherit",
});
if (spectral.status !== 0) failed = true;

process.exit(failed ? 1 : 0);
