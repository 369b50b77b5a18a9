// What a browser or Worker bundle of the main entry loads at start, and what it loads on first use: the main
// entry code-split by esbuild at its dynamic imports (as bench/rows/50-bundle-size.mjs measures it), read from
// the metafile. A module that is meant to load on first use and is pulled back into the start fails here,
// naming it; so does a module new to the start, so that the start grows only on purpose.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(import.meta.url), "../..");

/** Loaded on first use: the module, and the first call that loads it. */
const LAZY: Record<string, string> = {
  "src/log-lines.ts": "the first call of a client whose log level is not off",
  "src/order-check.ts": "the first orders.create",
  "generated/order-validators.js": "the first orders.create",
  "src/body-check.ts": "the first refund or cancellation",
  "generated/body-validators.js": "the first refund or cancellation",
  "generated/schema-check.js": "the first call with a body",
  "src/issues.ts": "the first call with a body",
  "src/resources/transaction-walk.ts": "the first transactions.iterate",
  "src/api-client.ts": "the first call through msp.api",
  "src/api-fetch.ts": "the first call through msp.api",
};

/** Loaded at start, each for a promise of a call made at once (ARCHITECTURE.md, docs/performance.md). */
const AT_START = [
  "generated/operations.js",
  "generated/spec-constants.js",
  "src/advice.ts",
  "src/answered.ts",
  "src/api-key.ts",
  "src/api-lazy.ts",
  "src/checks.ts",
  "src/client.ts",
  "src/closest.ts",
  "src/envelope.ts",
  "src/errors.ts",
  "src/events.ts",
  "src/index.ts",
  "src/json.ts",
  "src/logging.ts",
  "src/operations.ts",
  "src/pipeline.ts",
  "src/redact.ts",
  "src/resources/gateways.ts",
  "src/resources/orders.ts",
  "src/resources/payment-methods.ts",
  "src/resources/refunds.ts",
  "src/resources/transactions.ts",
  "src/retry.ts",
  "src/senders/fetch-sender.ts",
  "src/senders/sender.ts",
  "src/url.ts",
  "src/validation.ts",
  "src/version.ts",
];

let metafile: Metafile;
let start: Set<string>;
let startFiles: number;
let later: Set<string>;

beforeAll(async () => {
  ({ metafile } = await build({
    entryPoints: [resolve(root, "src/index.ts")],
    outdir: resolve(root, ".cache/lazy-start"),
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  }));
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((name) => outputs[name]?.entryPoint);
  const chunks = new Set([entry as string]);
  for (const name of chunks)
    for (const i of outputs[name]?.imports ?? []) if (i.kind === "import-statement") chunks.add(i.path);
  const inputsOf = (names: string[]) => new Set(names.flatMap((name) => Object.keys(outputs[name]?.inputs ?? {})));
  start = inputsOf([...chunks]);
  startFiles = chunks.size;
  later = inputsOf(Object.keys(outputs).filter((name) => !chunks.has(name)));
});

describe("the main entry, code-split", () => {
  it.each(Object.entries(LAZY))("does not load %s at start (it loads with %s)", (module) => {
    expect(start.has(module)).toBe(false);
    expect(later.has(module)).toBe(true);
  });

  // Each file is gzipped on its own, so each one more costs 0.4-0.7 kB: a lazy module that imports a start
  // module with a set of importers no other start module has makes one (docs/performance.md, round five).
  it("loads at start two files: the entry and the chunk it shares with the body checks and msp.api", () => {
    expect(startFiles).toBe(2);
  });

  it("loads at start only the modules listed here", () => {
    expect([...start].filter((module) => !module.includes("node_modules")).sort()).toEqual(AT_START);
  });
});
