// Bundle size: what a browser or Worker bundle carries, built with esbuild (--bundle --minify, platform browser)
// and gzipped (level 9). The target is the main entry code-split (--splitting), as a bundler splits it at its
// dynamic imports: what loads at start (msp.api's client, the order checks and the other bodies' checks are
// chunks of their own, loaded on first use). Also each as one file, as some Worker bundles are, and a consumer
// that only calls orders.create.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { fmt, ratio, root } from "../lib.mjs";

const TARGET_BYTES = 10 * 1024;
const COMMON = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  write: false,
  logLevel: "silent",
  define: { "process.env.NODE_ENV": '"production"' },
};
const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;

async function bundleSize(contents, external = []) {
  const result = await build({ ...COMMON, stdin: { contents, resolveDir: root }, external });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipped(code) };
}

/**
 * The entry code-split: what loads with it (the entry and the chunks it imports), what loads later, and what
 * the first call of one kind adds: the chunks a dynamic import of a module named `first` reaches.
 */
async function splitSizes(contents, first = "order-check") {
  const dir = mkdtempSync(join(tmpdir(), "msp-bench-split-"));
  try {
    const entry = join(dir, "entry.js");
    writeFileSync(entry, contents);
    const result = await build({
      ...COMMON,
      entryPoints: [entry],
      outdir: join(dir, "out"),
      splitting: true,
      metafile: true,
    });
    const outputs = result.metafile.outputs;
    const files = Object.fromEntries(result.outputFiles.map((f) => [f.path, f.contents]));
    // The metafile names outputs relative to esbuild's working directory (the current one).
    const byName = (name) => files[resolve(name)];
    const entryName = Object.keys(outputs).find((name) => outputs[name].entryPoint);
    const atStart = new Set([entryName]);
    for (const name of atStart)
      for (const i of outputs[name].imports) if (i.kind === "import-statement") atStart.add(i.path);
    const sum = (names) =>
      names.reduce(
        (total, name) => ({
          minified: total.minified + byName(name).length,
          gzipped: total.gzipped + gzipped(byName(name)),
        }),
        { minified: 0, gzipped: 0 },
      );
    const names = Object.keys(outputs).filter((name) => name.endsWith(".js"));
    const reached = new Set(
      [...atStart].flatMap((name) =>
        outputs[name].imports.filter((i) => i.kind === "dynamic-import" && i.path.includes(first)).map((i) => i.path),
      ),
    );
    for (const name of reached)
      for (const i of outputs[name].imports)
        if (i.kind === "import-statement" && !atStart.has(i.path)) reached.add(i.path);
    return {
      atStart: sum([...atStart]),
      later: sum(names.filter((name) => !atStart.has(name))),
      first: sum([...reached]),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function bundleSizeRow() {
  const main = join(root, "dist/index.js");
  const split = await splitSizes(`export * from ${JSON.stringify(main)};`);
  const createOnly = `import { createMultiSafepay } from ${JSON.stringify(main)}; const msp = createMultiSafepay({ apiKey: globalThis.KEY, environment: "live" }); export const create = (order) => msp.orders.create(order);`;
  const consumer = await splitSizes(createOnly);
  const sizes = {
    "multisafepay-kbc (the whole main entry, one file)": await bundleSize('export * from "multisafepay-kbc";'),
    "multisafepay-kbc, code-split: loaded at start": split.atStart,
    "multisafepay-kbc, code-split: loaded on first use (msp.api, the order checks, the other bodies' checks)":
      split.later,
    "a consumer of orders.create only, one file": await bundleSize(createOnly),
    "a consumer of orders.create only, code-split: at start": consumer.atStart,
    "a consumer of orders.create only, code-split: at start + its first create (the order checks)": {
      minified: consumer.atStart.minified + consumer.first.minified,
      gzipped: consumer.atStart.gzipped + consumer.first.gzipped,
    },
    "multisafepay-kbc/webhooks (verifyNotification)": await bundleSize(
      'export { verifyNotification } from "multisafepay-kbc/webhooks";',
    ),
    "multisafepay-kbc/mock (msw external)": await bundleSize(
      'export { createMultiSafepay } from "multisafepay-kbc"; export { createMultiSafepayMock } from "multisafepay-kbc/mock";',
      ["msw"],
    ),
    "@multisafepay/api-wrapper + axios": await bundleSize('export { default } from "@multisafepay/api-wrapper";'),
  };
  const mainGzip = split.atStart.gzipped;
  const oneFile = sizes["multisafepay-kbc (the whole main entry, one file)"].gzipped;
  const createFirst =
    sizes["a consumer of orders.create only, code-split: at start + its first create (the order checks)"].gzipped;
  const wrapperSize = sizes["@multisafepay/api-wrapper + axios"].gzipped;
  return {
    targets: [
      {
        what: "main entry, what loads at start (esbuild --bundle --minify --splitting, gzip)",
        result: `${fmt(mainGzip / 1024)} kB (one file: ${fmt(oneFile / 1024)} kB; orders.create alone, at start + its first create: ${fmt(createFirst / 1024)} kB; wrapper + axios ${fmt(wrapperSize / 1024)} kB)`,
        goal: `≤ ${fmt(TARGET_BYTES / 1024)} kB`,
        met: mainGzip <= TARGET_BYTES,
      },
    ],
    lines: [
      "| bundle (browser, esbuild --bundle --minify) | minified | gzipped | vs official wrapper |",
      "|---|---:|---:|---:|",
      ...Object.entries(sizes).map(
        ([k, v]) =>
          `| ${k} | ${fmt(v.minified / 1024)} kB | ${fmt(v.gzipped / 1024)} kB | ${ratio(v.gzipped, wrapperSize)} |`,
      ),
    ],
    results: { bytes: sizes },
  };
}
