// npm run lint: Redocly on the split source, then Spectral (spectral:oas, OWASP, our rules) on the bundle, for
// MultiSafepay's API (openapi/) and the sandbox's control API (openapi-sandbox/, its ruleset spectral/sandbox.yaml).
// Both must report nothing at warning level or above.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleSpec, SANDBOX_SPEC } from "./generate.mjs";
import { root, runBin } from "./run-bin.mjs";

try {
  // Every API of redocly.yaml: the main spec and the sandbox's.
  runBin("redocly", ["lint", "--format=codeframe"]);
  // Spectral's overrides in .spectral.yaml point into this file by JSON pointer.
  const bundle = join(root, ".cache/openapi.json");
  mkdirSync(join(root, ".cache"), { recursive: true });
  writeFileSync(bundle, bundleSpec());
  runBin("spectral", ["lint", bundle, "--fail-severity=warn", "--display-only-failures"]);
  // spectral/sandbox.yaml's overrides point into this file by JSON pointer.
  const sandbox = join(root, ".cache/openapi-sandbox.json");
  writeFileSync(sandbox, bundleSpec(SANDBOX_SPEC));
  runBin("spectral", [
    "lint",
    sandbox,
    "--ruleset",
    "spectral/sandbox.yaml",
    "--fail-severity=warn",
    "--display-only-failures",
  ]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
