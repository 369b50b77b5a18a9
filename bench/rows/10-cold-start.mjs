// Cold import in a fresh Node process.
import { spawnSync } from "node:child_process";
import { fmt, median, root } from "../lib.mjs";

function coldImport(statement) {
  const script = `const t = performance.now(); ${statement}; process.stdout.write(String(performance.now() - t));`;
  const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
  if (out.status !== 0) throw new Error(out.stderr);
  return Number(out.stdout);
}

export default async function coldStartRow() {
  const samples = { "multisafepay-kbc": [], "@multisafepay/api-wrapper": [] };
  for (let i = 0; i < 9; i++) {
    samples["multisafepay-kbc"].push(coldImport('await import("multisafepay-kbc")'));
    samples["@multisafepay/api-wrapper"].push(coldImport('await import("@multisafepay/api-wrapper")'));
  }
  const cold = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  return {
    targets: [],
    lines: [
      "| cold import (fresh node, median of 9) | ms |",
      "|---|---:|",
      ...Object.entries(cold).map(([k, v]) => `| ${k} | ${fmt(v)} |`),
    ],
    results: { milliseconds: cold },
  };
}
