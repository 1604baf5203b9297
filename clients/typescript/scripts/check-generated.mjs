#!/usr/bin/env node
// Fails (exit 1) when schema.d.ts is not exactly what openapi-typescript generates from
// ../../openapi/openapi.json today. Plain Node, no dependencies besides the pinned generator.
// Fix a failure with `npm run generate` and commit schema.d.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const committed = join(here, "schema.d.ts");
const dir = mkdtempSync(join(tmpdir(), "pnt-schema-"));
const fresh = join(dir, "schema.d.ts");

try {
  // Same command as `npm run generate`, written to a temporary file.
  const generator = join(here, "node_modules", "openapi-typescript", "bin", "cli.js");
  const run = spawnSync(
    process.execPath,
    [generator, "../../openapi/openapi.json", "--redocly", "redocly.generate.yaml", "--output", fresh],
    { cwd: here, encoding: "utf8" },
  );
  if (run.status !== 0) {
    // The generator's findings (✘ errors, ⚠ warnings) without its stack trace; all of it otherwise.
    const lines = (run.stdout + run.stderr).split("\n");
    const findings = lines.filter((l) => /[✘⚠]/.test(l));
    console.error((findings.length ? findings : lines).join("\n"));
    console.error("\ncheck-generated: openapi-typescript cannot generate types from openapi/openapi.json (see above).");
    process.exit(1);
  }
  if (!existsSync(committed)) {
    console.error("check-generated: schema.d.ts is missing; run `npm run generate` and commit it.");
    process.exit(1);
  }
  const want = readFileSync(fresh, "utf8").split("\n");
  const have = readFileSync(committed, "utf8").split("\n");
  let line = 0;
  while (line < want.length && line < have.length && want[line] === have[line]) line++;
  if (line === want.length && line === have.length) {
    console.log("check-generated: schema.d.ts is up to date with openapi/openapi.json");
    process.exit(0);
  }
  console.error(`check-generated: schema.d.ts differs from a fresh generation, first at line ${line + 1}:`);
  const show = (label, lines) => {
    for (let i = Math.max(0, line - 2); i < Math.min(lines.length, line + 3); i++) {
      console.error(`  ${label} ${String(i + 1).padStart(6)}${i === line ? " >" : "  "} ${lines[i]}`);
    }
  };
  show("committed", have);
  show("generated", want);
  console.error(`  (${have.length} lines committed, ${want.length} generated)`);
  console.error("Run `npm run generate` in clients/typescript and commit schema.d.ts.");
  process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
