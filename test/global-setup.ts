// Builds dist/ before the tests, at most once per run and only when it is needed: when a suite in the run uses
// the built package (the sandbox routes from scripts/sandbox.mjs, the packed tarball, the examples) and dist/ is
// older than what it is built from. `npm test` has just built it (check:package), so nothing is rebuilt there;
// `npx vitest run test/json.test.ts` builds nothing; after an edit in src/, a sandbox suite rebuilds it once.
// Both projects ("fetch", "node-http") run this file; the second finds dist/ fresh.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

const root = resolve(fileURLToPath(import.meta.url), "../..");

/** What a suite does when it needs dist/: imports the sandbox (scripts/sandbox.mjs: dist/sandbox.js; the examples
 * suite too), packs the package (packedConsumer, npm pack), or reads the built types (dist/index.d.ts). */
export const NEEDS_DIST = /scripts\/sandbox\.mjs|packedConsumer\(|\["pack"|dist\/index\.d\.ts/;

/** Inputs of the build; dist/ is stale when any of them is newer than the oldest file in dist/. */
const INPUTS = ["src", "generated", "tsdown.config.ts", "package.json"];

function walk(path: string, visit: (file: string, mtimeMs: number) => void) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return visit(path, stat.mtimeMs);
  for (const entry of readdirSync(path)) walk(join(path, entry), visit);
}

export function distIsFresh(): boolean {
  const dist = join(root, "dist");
  if (!existsSync(join(dist, "sandbox.js")) || !existsSync(join(dist, "index.cjs"))) return false;
  let oldestOutput = Infinity;
  walk(dist, (_, mtime) => (oldestOutput = Math.min(oldestOutput, mtime)));
  let newestInput = 0;
  for (const input of INPUTS) walk(join(root, input), (_, mtime) => (newestInput = Math.max(newestInput, mtime)));
  return newestInput < oldestOutput;
}

async function runNeedsDist(project: TestProject): Promise<boolean> {
  // Filters given on the command line (`vitest run test/json`); none means every suite, so dist/ is needed.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  if (!filters?.length) return true;
  const specs = await project.vitest.globTestSpecifications(filters);
  return specs.some(
    (spec) => spec.moduleId.endsWith(".test.ts") && NEEDS_DIST.test(readFileSync(spec.moduleId, "utf8")),
  );
}

export default async function setup(project: TestProject) {
  if (distIsFresh() || !(await runNeedsDist(project))) return;
  const started = Date.now();
  execFileSync("npm", ["run", "--silent", "build"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  console.log(
    `global-setup: dist/ was stale, rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s (${relative(process.cwd(), join(root, "dist")) || "dist"})`,
  );
}
