// npm run lint: Redocly on the split source, then Spectral (spectral:oas, OWASP, our rules) on the bundle.
// Both must report nothing at warning level or above.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleSpec } from "./generate.mjs";
import { root, runBin } from "./run-bin.mjs";

try {
  runBin("redocly", ["lint", "--format=codeframe"]);
  // Spectral's overrides in .spectral.yaml point into this file by JSON pointer.
  const bundle = join(root, ".cache/openapi.json");
  mkdirSync(join(root, ".cache"), { recursive: true });
  writeFileSync(bundle, bundleSpec());
  runBin("spectral", ["lint", bundle, "--fail-severity=warn", "--display-only-failures"]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
