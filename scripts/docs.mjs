// npm run docs: one self-contained Redoc page at docs/index.html that loads nothing from the network.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root, runBin } from "./run-bin.mjs";

export const docsFile = join(root, "docs/index.html");

// Redoc's footer fetches its logo from a CDN even in an inline bundle; serve the same credit inline instead.
const REDOCLY_CREDIT = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="20"><text x="0" y="15" font-family="sans-serif" font-size="13" fill="#888">Redocly</text></svg>',
)}`;

export function buildDocs() {
  runBin("redocly", ["build-docs", "openapi/openapi.yaml", "--inlineBundle", "-o", docsFile, "--title", "MultiSafepay KBC orders API"], { quiet: true });
  const html = readFileSync(docsFile, "utf8")
    .replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, REDOCLY_CREDIT)
    // Without an icon link, browsers ask the server for /favicon.ico.
    .replace("<head>", '<head><link rel="icon" href="data:,">');
  writeFileSync(docsFile, html);
  return docsFile;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  console.log(`Docs written to ${buildDocs()}`);
}
