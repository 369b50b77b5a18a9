// npm run bench: speed and size, side by side, in one run. Each row is a module of bench/rows/ (run in file-name
// order; `node bench/index.mjs cold bundle` runs only the rows whose file names contain one of the words) that
// measures its contenders against their floor in this same run and returns
//   { targets: [{ what, result, goal, met }], lines: [markdown lines], results: { ...for results.json } }
// (`met: null`: a figure the issue asks to be reported, without a target).
// Prints the targets table, then each row's own tables, and writes bench/results.json.
import { readdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { root } from "./lib.mjs";

const only = process.argv.slice(2);
const files = readdirSync(join(root, "bench/rows"))
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => only.length === 0 || only.some((word) => f.includes(word)))
  .sort();
const targets = [];
const sections = [];
const results = {};
for (const file of files) {
  const row = await import(pathToFileURL(join(root, "bench/rows", file)).href);
  const outcome = await row.default();
  targets.push(...outcome.targets);
  sections.push(outcome.lines.join("\n"));
  results[file.replace(/\.mjs$/, "")] = outcome.results;
}

const machine = `${cpus()[0]?.model.trim()} × ${cpus().length}, Node ${process.versions.node}, ${process.platform}`;
const lines = [
  "Targets, each against its floor in this run",
  "| what | result | target | met |",
  "|---|---:|---:|:---:|",
  ...targets.map((t) => `| ${t.what} | ${t.result} | ${t.goal} | ${t.met === null ? "–" : t.met ? "yes" : "no"} |`),
  "",
  sections.join("\n\n"),
  "",
  `Machine: ${machine}`,
];
console.log(lines.join("\n"));
writeFileSync(
  join(root, "bench/results.json"),
  `${JSON.stringify({ date: new Date().toISOString(), machine, targets, rows: results }, null, 2)}\n`,
);
console.log("\nWritten to bench/results.json");
