// npm test: the checks before vitest, two at a time (this machine has two cores; each check is one process
// that mostly uses one), then vitest. Each check's output is printed whole when it ends, so they never mix; a
// failing check fails the run after the others have finished (vitest does not start). vitest then runs with
// MSP_TYPECHECKED=1: `tsc -p .` has checked test/*.test-d.ts with everything else, so vitest.config.ts does
// not run a second typecheck. Arguments are passed to vitest (`npm test -- test/json.test.ts`).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { root } from "./run-bin.mjs";

// Longest first, so the two lanes end together (about 7 s, 7 s, 6 s, 2 s, 0.2 s on the 2-core machine alone).
const CHECKS = ["check:package", "typecheck", "lint", "generate:check", "install-runtimes"];
const LANES = 2;

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function run(script) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code, signal) => {
      const ms = Date.now() - started;
      process.stdout.write(
        `\n> ${script} (${code === 0 ? "ok" : `failed: ${signal ?? `exit ${code}`}`}, ${seconds(ms)})\n${output}`,
      );
      resolve({ script, ok: code === 0, ms });
    });
  });
}

const started = Date.now();
const queue = [...CHECKS];
const results = [];
await Promise.all(
  Array.from({ length: LANES }, async () => {
    for (let script = queue.shift(); script; script = queue.shift()) results.push(await run(script));
  }),
);
const failed = results.filter((r) => !r.ok).map((r) => r.script);
console.log(
  `\nchecks: ${results.map((r) => `${r.script} ${seconds(r.ms)}`).join(", ")}; ${seconds(Date.now() - started)} in all`,
);
if (failed.length) {
  console.error(`npm test: ${failed.join(", ")} failed; vitest not run.`);
  process.exit(1);
}

const vitest = spawn(join(root, "node_modules/.bin/vitest"), ["run", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, MSP_TYPECHECKED: "1" },
});
vitest.on("close", (code, signal) => {
  console.log(`\nnpm test: ${seconds(Date.now() - started)} in all (checks, then vitest)`);
  process.exit(code ?? (signal ? 1 : 0));
});
