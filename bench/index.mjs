// npm run bench: speed and size, side by side, in one process and one run. Prints a table with ratios to
// the floor (a bare keep-alive http.request) and to MultiSafepay's official wrapper, and writes bench/results.json.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import officialModule from "@multisafepay/api-wrapper";
import { createMultiSafepay } from "multisafepay-kbc";
import { createMultiSafepay as createWithFetch } from "../dist/index.js";
import { signNotification, verifyNotification } from "multisafepay-kbc/webhooks";
import { verifyNotification as verifyWithWebCrypto } from "../dist/webhooks.js";
import { createHmac, timingSafeEqual } from "node:crypto";
import { validateRedirectOrderRequest } from "../generated/request-validators.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
// In-process calls are ~100× cheaper: more of them per round, so timer resolution and GC even out.
const IN_PROCESS_CALLS = CALLS * 20;
const API_KEY = "bench-key-1234567890";
const order = {
  type: "redirect",
  order_id: "bench-1",
  gateway: "KBC",
  currency: "EUR",
  amount: 1000,
  description: "Benchmark order",
  payment_options: {
    notification_url: "https://shop.example/notify",
    notification_method: "POST",
    redirect_url: "https://shop.example/ok",
    cancel_url: "https://shop.example/ko",
  },
  customer: { locale: "nl_BE", ip_address: "203.0.113.7", email: "shopper@example.be" },
};
const answer = JSON.stringify({
  success: true,
  data: {
    order_id: "bench-1",
    payment_url: "https://testpayv2.multisafepay.com/connect/abc/?lang=nl_BE",
    session_id: "abc",
  },
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs every contender `CALLS` times per round, contenders interleaved, and returns median µs per call. */
async function interleaved(contenders, calls = CALLS) {
  const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const fn of Object.values(contenders)) for (let i = 0; i < calls; i++) await fn(); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) await fn();
      samples[name].push(Number(process.hrtime.bigint() - start) / 1000 / calls);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

// --- 1. Create-order calls over loopback HTTP --------------------------------------------------------------
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () =>
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) }).end(answer),
  );
});
server.keepAliveTimeout = 60_000;
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/v1/json`;

const floorAgent = new http.Agent({ keepAlive: true });
const floor = () =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify(order);
    const req = http.request(
      `${base}/orders`,
      {
        method: "POST",
        agent: floorAgent,
        headers: { api_key: API_KEY, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve(JSON.parse(text)));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
const rawFetch = async () =>
  (
    await fetch(`${base}/orders`, {
      method: "POST",
      headers: { api_key: API_KEY, "content-type": "application/json" },
      body: JSON.stringify(order),
    })
  ).json();
const bare = createClient({ baseUrl: base, headers: { api_key: API_KEY } });
const bareOpenapiFetch = async () => (await bare.POST("/orders", { body: order })).data;
const ours = createMultiSafepay({ apiKey: API_KEY, baseUrl: base });
const oursNodeHttp = () => ours.orders.create(order);
const oursOverFetch = createWithFetch({ apiKey: API_KEY, baseUrl: base });
const oursFetch = () => oursOverFetch.orders.create(order);
// A CommonJS module with only a `default` export: ESM sees { default: class } (as attw reports).
const OfficialWrapper = officialModule.default ?? officialModule;
const official = new OfficialWrapper(API_KEY, { environment: "test" });
official.orders.client.defaults.baseURL = `${base}/`;
const officialWrapper = () => official.orders.create(order);

const loopback = await interleaved({
  "http.request (floor)": floor,
  "raw fetch": rawFetch,
  "bare openapi-fetch": bareOpenapiFetch,
  "multisafepay-kbc": oursNodeHttp,
  "multisafepay-kbc over fetch": oursFetch,
  "@multisafepay/api-wrapper": officialWrapper,
});
server.close();
floorAgent.destroy();

// --- 2. In-process: a fetch that answers at once, to isolate each client's own cost -------------------------
const instant = async () => new Response(answer, { status: 200, headers: { "content-type": "application/json" } });
const inProcessOurs = createWithFetch({ apiKey: API_KEY, baseUrl: "http://in.process/v1/json", fetch: instant });
const inProcessBare = createClient({
  baseUrl: "http://in.process/v1/json",
  fetch: instant,
  headers: { api_key: API_KEY },
});
const requestHeaders = new Headers({
  api_key: API_KEY,
  accept: "application/json",
  "content-type": "application/json",
});
// The client as Node runs it, with the layer below the fetch seam (the node:http sender) answering at once:
// no Request or Response objects at all. Built from src/ because that seam is internal.
const internalBuild = await build({
  entryPoints: [join(root, "src/client.ts")],
  bundle: true,
  format: "esm",
  platform: "node",
  write: false,
  logLevel: "silent",
});
const internalModule = `data:text/javascript;base64,${Buffer.from(internalBuild.outputFiles[0].text).toString("base64")}`;
const { clientFactory } = await import(internalModule);
const answeredAtOnce = { status: 200, headers: { get: () => null }, body: answer };
const stubbedSender = clientFactory(() => ({ send: async () => answeredAtOnce, close: async () => {} }))({
  apiKey: API_KEY,
  baseUrl: "http://in.process/v1/json",
});
const inProcess = await interleaved(
  {
    "the answering fetch alone": async () => (await instant()).json(),
    "bare openapi-fetch": async () => (await inProcessBare.POST("/orders", { body: order })).data,
    "multisafepay-kbc (with validation)": () => inProcessOurs.orders.create(order),
  },
  IN_PROCESS_CALLS,
);
const ownCostNodePath = (await interleaved({ stubbed: () => stubbedSender.orders.create(order) }, IN_PROCESS_CALLS))
  .stubbed;
// The fetch contract takes a Request: what constructing one (with a body and a signal) costs any fetch-based
// client. Measured on its own, after the group above, so its garbage does not weigh on the others.
const requestAlone = (
  await interleaved(
    {
      "new Request() alone": () =>
        new Request("http://in.process/v1/json/orders", {
          method: "POST",
          headers: requestHeaders,
          body: JSON.stringify(order),
          signal: new AbortController().signal,
        }),
    },
    IN_PROCESS_CALLS,
  )
)["new Request() alone"];

// --- 3. Throughput --------------------------------------------------------------------------------------
function perSecond(fn, ms = 500) {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) for (let i = 0; i < 100; i++, n++) fn();
  return n / (ms / 1000);
}
async function perSecondAsync(fn, ms = 500) {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) for (let i = 0; i < 20; i++, n++) await fn();
  return n / (ms / 1000);
}
const notificationBody = JSON.stringify({
  order_id: "bench-1",
  transaction_id: 123456789,
  status: "completed",
  financial_status: "completed",
  amount: 1000,
  currency: "EUR",
  created: "2026-11-25T10:00:00",
});
const auth = await signNotification({ body: notificationBody, apiKey: API_KEY });
// The floor for verification: what any Node handler must do at least, with node:crypto directly.
const floorSignature = Buffer.from(atob(auth).split(":")[1], "hex");
const floorTimestamp = atob(auth).split(":")[0];
const verificationFloor = () => {
  const digest = createHmac("sha512", API_KEY).update(`${floorTimestamp}:`).update(notificationBody).digest();
  if (!timingSafeEqual(digest, floorSignature)) throw new Error("floor mismatch");
  return JSON.parse(notificationBody);
};
const throughput = {
  "order validation (orders/s)": perSecond(() => validateRedirectOrderRequest(order)),
  "notification verification, node:crypto floor (/s)": perSecond(verificationFloor),
  "notification verification, multisafepay-kbc on Node (/s)": await perSecondAsync(() =>
    verifyNotification({ body: notificationBody, auth, apiKey: API_KEY }),
  ),
  "notification verification, multisafepay-kbc with Web Crypto (/s)": await perSecondAsync(() =>
    verifyWithWebCrypto({ body: notificationBody, auth, apiKey: API_KEY }),
  ),
};

// --- 4. Bundle size: esbuild-minified for the browser, gzipped -------------------------------------------
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
const sizes = {
  "multisafepay-kbc": await bundleSize('export { createMultiSafepay } from "multisafepay-kbc";'),
  "multisafepay-kbc/webhooks": await bundleSize('export { verifyNotification } from "multisafepay-kbc/webhooks";'),
  "multisafepay-kbc/mock (msw external)": await bundleSize(
    'export { createMultiSafepay } from "multisafepay-kbc"; export { createMultiSafepayMock } from "multisafepay-kbc/mock";',
    ["msw"],
  ),
  "@multisafepay/api-wrapper + axios": await bundleSize('export { default } from "@multisafepay/api-wrapper";'),
};

// --- 5. Cold import in a fresh Node process ---------------------------------------------------------------
function coldImport(statement) {
  const script = `const t = performance.now(); ${statement}; process.stdout.write(String(performance.now() - t));`;
  const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
  if (out.status !== 0) throw new Error(out.stderr);
  return Number(out.stdout);
}
const coldSamples = { "multisafepay-kbc": [], "@multisafepay/api-wrapper": [] };
for (let i = 0; i < 9; i++) {
  coldSamples["multisafepay-kbc"].push(coldImport('await import("multisafepay-kbc")'));
  coldSamples["@multisafepay/api-wrapper"].push(coldImport('await import("@multisafepay/api-wrapper")'));
}
const cold = Object.fromEntries(Object.entries(coldSamples).map(([k, v]) => [k, median(v)]));

// --- Report -----------------------------------------------------------------------------------------------
const fmt = (n, digits = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a, b) => `${fmt(a / b, 2)}×`;
const lines = [];
const floorUs = loopback["http.request (floor)"];
const wrapperUs = loopback["@multisafepay/api-wrapper"];
// Issue 13's four rows, each a ratio to its floor measured in this same run.
const mainGzip = sizes["multisafepay-kbc"].gzipped;
const verifyRatio =
  throughput["notification verification, multisafepay-kbc on Node (/s)"] /
  throughput["notification verification, node:crypto floor (/s)"];
const injectedRatio = inProcess["multisafepay-kbc (with validation)"] / inProcess["the answering fetch alone"];
const loopbackRatio = loopback["multisafepay-kbc"] / floorUs;
lines.push(
  "Targets (issue 13), each against its floor in this run",
  "| what | result | target | met |",
  "|---|---:|---:|:---:|",
);
const target = (what, result, goal, met) => lines.push(`| ${what} | ${result} | ${goal} | ${met ? "yes" : "no"} |`);
target(
  "main entry, browser bundle (minified, gzip)",
  `${fmt(mainGzip / 1024)} kB (wrapper + axios ${fmt(sizes["@multisafepay/api-wrapper + axios"].gzipped / 1024)} kB)`,
  "≤ 7 kB",
  mainGzip <= 7 * 1024,
);
target(
  "notification verification vs node:crypto HMAC + timingSafeEqual + JSON.parse",
  `${fmt(verifyRatio, 2)}× the floor's rate`,
  "≥ 0.5×",
  verifyRatio >= 0.5,
);
target(
  "orders.create over an injected fetch vs that fetch + response.json()",
  `${fmt(injectedRatio, 2)}×`,
  "≤ 2×",
  injectedRatio <= 2,
);
target(
  "orders.create over loopback (node:http) vs http.request keep-alive",
  `${fmt(loopbackRatio, 2)}× (raw fetch ${fmt(loopback["raw fetch"] / floorUs, 2)}×, wrapper ${fmt(wrapperUs / floorUs, 2)}×)`,
  "≤ 1.2×, ahead of both",
  loopbackRatio <= 1.2 &&
    loopback["multisafepay-kbc"] < wrapperUs &&
    loopback["multisafepay-kbc"] < loopback["raw fetch"],
);
lines.push("");
lines.push(
  `Create-order over loopback HTTP (median of ${ROUNDS} interleaved rounds × ${CALLS} calls, after ${CALLS} warm-up calls each)`,
);
lines.push("| client | µs/call | vs floor | vs official wrapper |", "|---|---:|---:|---:|");
for (const [k, v] of Object.entries(loopback))
  lines.push(`| ${k} | ${fmt(v)} | ${ratio(v, floorUs)} | ${ratio(v, wrapperUs)} |`);
const answering = inProcess["the answering fetch alone"];
lines.push(
  "",
  `In-process (a fetch that answers at once; ${ROUNDS} rounds × ${IN_PROCESS_CALLS} calls): the client's own cost per call`,
);
lines.push("| client | µs/call | own cost (minus the fetch) |", "|---|---:|---:|");
for (const [k, v] of Object.entries(inProcess)) lines.push(`| ${k} | ${fmt(v)} | ${fmt(v - answering)} |`);
lines.push(`| (for scale) undici's new Request() alone | ${fmt(requestAlone)} | – |`);
lines.push(
  `| multisafepay-kbc on Node's path (node:http sender stubbed: no Request/Response objects) | ${fmt(ownCostNodePath)} | ${fmt(ownCostNodePath)} |`,
);
lines.push("", "| throughput | per second |", "|---|---:|");
for (const [k, v] of Object.entries(throughput)) lines.push(`| ${k} | ${fmt(v, 0)} |`);
const wrapperSize = sizes["@multisafepay/api-wrapper + axios"].gzipped;
lines.push(
  "",
  "| bundle (browser, esbuild --minify) | minified | gzipped | vs official wrapper |",
  "|---|---:|---:|---:|",
);
for (const [k, v] of Object.entries(sizes))
  lines.push(
    `| ${k} | ${fmt(v.minified / 1024)} kB | ${fmt(v.gzipped / 1024)} kB | ${ratio(v.gzipped, wrapperSize)} |`,
  );
lines.push("", "| cold import (fresh node, median of 9) | ms |", "|---|---:|");
for (const [k, v] of Object.entries(cold)) lines.push(`| ${k} | ${fmt(v)} |`);
const machine = `${cpus()[0]?.model.trim()} × ${cpus().length}, Node ${process.versions.node}, ${process.platform}`;
lines.push("", `Machine: ${machine}`);
console.log(lines.join("\n"));

const results = {
  date: new Date().toISOString(),
  machine,
  targets: {
    mainBundleGzipBytes: mainGzip,
    verificationVsFloor: verifyRatio,
    injectedFetchVsFloor: injectedRatio,
    loopbackVsFloor: loopbackRatio,
  },
  rounds: ROUNDS,
  callsPerRound: CALLS,
  loopbackMicroseconds: loopback,
  inProcessMicroseconds: {
    ...inProcess,
    "new Request() alone": requestAlone,
    "node path, sender stubbed": ownCostNodePath,
  },
  throughput,
  bundleBytes: sizes,
  coldImportMs: cold,
};
writeFileSync(join(root, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log("\nWritten to bench/results.json");
await import("./sandbox-scale.mjs"); // the sandbox rows (issue 21 item 5)
