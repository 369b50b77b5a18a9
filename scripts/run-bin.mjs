// Runs a tool from node_modules/.bin with Redocly's telemetry off; throws when it fails.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(fileURLToPath(import.meta.url), "../..");

export function runBin(bin, args, { quiet = false } = {}) {
  const result = spawnSync(join(root, "node_modules/.bin", bin), args, {
    cwd: root,
    env: { ...process.env, REDOCLY_TELEMETRY: "off" },
    stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
  });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    throw new Error(`${bin} ${args.join(" ")} failed (exit ${result.status})`);
  }
  return result;
}
