// Installs the other runtimes the consumer tests run the package in (Bun, Deno, workerd via Miniflare)
// into .cache/runtimes. They are not devDependencies because their lockfile entries would name platform
// packages this registry does not carry, which breaks `npm ci`; installed here, npm picks this machine's only.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "./run-bin.mjs";

export const RUNTIMES = { bun: "1.4.5", deno: "2.9.6", miniflare: "3.20250718.2" };
export const runtimesDir = join(root, ".cache/runtimes");

const stamp = join(runtimesDir, "installed.json");
const wanted = JSON.stringify(RUNTIMES);

if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) {
  console.log("Runtimes for the consumer tests are installed.");
} else {
  mkdirSync(runtimesDir, { recursive: true });
  writeFileSync(join(runtimesDir, "package.json"), JSON.stringify({ private: true }));
  const specs = Object.entries(RUNTIMES).map(([name, version]) => `${name}@${version}`);
  execFileSync(
    "npm",
    ["install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error", ...specs],
    { cwd: runtimesDir, stdio: "inherit" },
  );
  writeFileSync(stamp, wanted);
  console.log(`Installed ${specs.join(", ")} into .cache/runtimes`);
}
