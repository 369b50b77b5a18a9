// Bundle size: esbuild-minified for the browser, gzipped.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { fmt, ratio, root } from "../lib.mjs";

async function bundleSize(contents, external = []) {
  const result = await build({
    stdin: { contents, resolveDir: root },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    external,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

export default async function bundleSizeRow() {
  const sizes = {
    "multisafepay-kbc": await bundleSize('export { createMultiSafepay } from "multisafepay-kbc";'),
    "multisafepay-kbc/webhooks": await bundleSize('export { verifyNotification } from "multisafepay-kbc/webhooks";'),
    "multisafepay-kbc/mock (msw external)": await bundleSize(
      'export { createMultiSafepay } from "multisafepay-kbc"; export { createMultiSafepayMock } from "multisafepay-kbc/mock";',
      ["msw"],
    ),
    "@multisafepay/api-wrapper + axios": await bundleSize('export { default } from "@multisafepay/api-wrapper";'),
  };
  const mainGzip = sizes["multisafepay-kbc"].gzipped;
  const wrapperSize = sizes["@multisafepay/api-wrapper + axios"].gzipped;
  return {
    targets: [
      {
        what: "main entry, browser bundle (minified, gzip)",
        result: `${fmt(mainGzip / 1024)} kB (wrapper + axios ${fmt(wrapperSize / 1024)} kB)`,
        goal: "≤ 7 kB",
        met: mainGzip <= 7 * 1024,
      },
    ],
    lines: [
      "| bundle (browser, esbuild --minify) | minified | gzipped | vs official wrapper |",
      "|---|---:|---:|---:|",
      ...Object.entries(sizes).map(
        ([k, v]) =>
          `| ${k} | ${fmt(v.minified / 1024)} kB | ${fmt(v.gzipped / 1024)} kB | ${ratio(v.gzipped, wrapperSize)} |`,
      ),
    ],
    results: { bytes: sizes },
  };
}
