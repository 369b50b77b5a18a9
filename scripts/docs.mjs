// npm run docs: self-contained Redoc pages in site/ (docs/ holds the guides) that load nothing from the network:
// - site/index.html, MultiSafepay's API as this package's contract describes it (generated/openapi.json), with
//   the package's version and, on every operation, the TypeScript and curl samples of examples/samples/
//   (`x-codeSamples`, added here so the contract itself carries no copies; test/snippets.test.ts runs them);
// - site/sandbox.html, the sandbox's control API, when its contract openapi-sandbox/openapi.yaml exists.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { root, runBin } from "./run-bin.mjs";

export const docsFile = join(root, "site/index.html");
const SAMPLES = join(root, "examples/samples");
const SANDBOX_SPEC = join(root, "openapi-sandbox/openapi.yaml");
/** Where the main page links to the sandbox's page, and where `npm start` serves it. */
export const SANDBOX_DOCS_PATH = "/sandbox.html";

/** The sandbox page beside a main page: site/sandbox.html for site/index.html, X.sandbox.html for X.html. */
export const sandboxDocsFile = (file) =>
  basename(file) === "index.html"
    ? join(dirname(file), "sandbox.html")
    : join(dirname(file), basename(file).replace(/\.html$/, ".sandbox.html"));

// Redoc's footer fetches its logo from a CDN even in an inline bundle; serve the same credit inline instead.
const REDOCLY_CREDIT = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="20"><text x="0" y="15" font-family="sans-serif" font-size="13" fill="#888">Redocly</text></svg>',
)}`;

const packageVersion = () => JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;

/**
 * The samples of one operation, as Redoc shows them (one entry per language in its sample menu, beside the
 * payload). Redoc shows only the languages it knows, looked up by label: TypeScript is not one of them, so the
 * package's sample goes under "Node.js" (highlighted as JavaScript).
 */
function codeSamples(operationId) {
  const read = (ext) => readFileSync(join(SAMPLES, `${operationId}.${ext}`), "utf8").trimEnd();
  return [
    { lang: "TypeScript", label: "Node.js", source: read("ts") },
    { lang: "Shell", label: "curl", source: read("sh") },
  ];
}

/** The contract as the page shows it: samples on each operation, the package's version, links that exist. */
export function pageSpec({ sandboxPage = existsSync(SANDBOX_SPEC) } = {}) {
  const spec = JSON.parse(readFileSync(join(root, "generated/openapi.json"), "utf8"));
  for (const item of Object.values(spec.paths ?? {}))
    for (const operation of Object.values(item))
      if (operation && typeof operation === "object" && operation.operationId)
        operation["x-codeSamples"] = codeSamples(operation.operationId);
  const version = packageVersion();
  const sandbox = sandboxPage
    ? ` The sandbox's own control API (pay, cancel, refund, reset, the clock) is on [its own page](${SANDBOX_DOCS_PATH.slice(1)}).`
    : "";
  spec.info.description = `**multisafepay-kbc ${version}**: every operation shows its call with this package and with curl.${sandbox}\n\n${spec.info.description}`;
  // The package is not on the npm registry yet, so its registry page does not exist: no link to it.
  if (spec.info.contact) delete spec.info.contact.url;
  return spec;
}

function redoc(input, out, title) {
  runBin("redocly", ["build-docs", input, "--inlineBundle", "-o", out, "--title", title], { quiet: true });
  const html = readFileSync(out, "utf8")
    .replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, REDOCLY_CREDIT)
    // Without an icon link, browsers ask the server for /favicon.ico.
    .replace("<head>", '<head><link rel="icon" href="data:,">');
  writeFileSync(out, html);
}

/** Builds the main page at `out` and, when the sandbox's contract exists, its page beside it. */
export function buildDocs(out = docsFile) {
  mkdirSync(dirname(out), { recursive: true });
  const temp = mkdtempSync(join(tmpdir(), "msp-docs-"));
  try {
    const spec = join(temp, "openapi.json");
    writeFileSync(spec, JSON.stringify(pageSpec()));
    redoc(spec, out, `MultiSafepay KBC orders API · multisafepay-kbc ${packageVersion()}`);
    if (existsSync(SANDBOX_SPEC)) redoc(SANDBOX_SPEC, sandboxDocsFile(out), "multisafepay-kbc sandbox control API");
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return out;
}

function hashTree(hash, path) {
  if (!existsSync(path)) return hash.update(`${path}: none`);
  if (!statSync(path).isDirectory()) return hash.update(path).update(readFileSync(path));
  for (const entry of readdirSync(path).sort()) hashTree(hash, join(path, entry));
  return hash;
}

/**
 * The same pages, built once for given inputs: the tests serve them from several suites and workers, so they
 * are kept in .cache/docs/ under a hash of what they are built from (the contracts, the samples, redocly.yaml, this script,
 * the package's version, Redocly's version) and rebuilt only when one of them changes. Built under temporary
 * names and renamed (the sandbox page first), so a reader never sees half.
 */
export function cachedDocs() {
  const hash = createHash("sha256");
  for (const input of ["openapi", "generated/openapi.json", "openapi-sandbox", "examples/samples", "redocly.yaml"])
    hashTree(hash, join(root, input));
  hash.update(readFileSync(new URL(import.meta.url)));
  hash.update(packageVersion());
  hash.update(readFileSync(join(root, "node_modules/@redocly/cli/package.json")));
  const dir = join(root, ".cache/docs");
  const file = join(dir, `${hash.digest("hex").slice(0, 16)}.html`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = join(dir, `${process.pid}-${Date.now()}.partial.html`);
  buildDocs(partial);
  if (existsSync(sandboxDocsFile(partial))) renameSync(sandboxDocsFile(partial), sandboxDocsFile(file));
  renameSync(partial, file);
  return file;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const out = buildDocs();
  const sandbox = sandboxDocsFile(out);
  console.log(`Docs written to ${out}${existsSync(sandbox) ? ` and ${sandbox}` : ""}`);
}
