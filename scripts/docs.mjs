// npm run docs: one self-contained Redoc page at site/index.html (docs/ holds the guides) that loads nothing from the network.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, runBin } from "./run-bin.mjs";

export const docsFile = join(root, "site/index.html");

// Redoc's footer fetches its logo from a CDN even in an inline bundle; serve the same credit inline instead.
const REDOCLY_CREDIT = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="20"><text x="0" y="15" font-family="sans-serif" font-size="13" fill="#888">Redocly</text></svg>',
)}`;

export function buildDocs(out = docsFile) {
  runBin(
    "redocly",
    ["build-docs", "openapi/openapi.yaml", "--inlineBundle", "-o", out, "--title", "MultiSafepay KBC orders API"],
    { quiet: true },
  );
  const html = readFileSync(out, "utf8")
    .replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, REDOCLY_CREDIT)
    // Without an icon link, browsers ask the server for /favicon.ico.
    .replace("<head>", '<head><link rel="icon" href="data:,">');
  writeFileSync(out, html);
  return out;
}

function hashTree(hash, path) {
  if (!statSync(path).isDirectory()) return hash.update(path).update(readFileSync(path));
  for (const entry of readdirSync(path).sort()) hashTree(hash, join(path, entry));
  return hash;
}

/**
 * The same page, built once for a given spec: the tests serve it from several suites and workers, so it is
 * kept in .cache/docs/ under a hash of what it is built from (openapi/, this script, Redocly's version) and
 * rebuilt only when one of them changes. Written to a temporary name and renamed, so a reader never sees half.
 */
export function cachedDocs() {
  const hash = createHash("sha256");
  hashTree(hash, join(root, "openapi"));
  hash.update(readFileSync(new URL(import.meta.url)));
  hash.update(readFileSync(join(root, "node_modules/@redocly/cli/package.json")));
  const dir = join(root, ".cache/docs");
  const file = join(dir, `${hash.digest("hex").slice(0, 16)}.html`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.${Date.now()}.html`;
  buildDocs(partial);
  renameSync(partial, file);
  return file;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  console.log(`Docs written to ${buildDocs()}`);
}
