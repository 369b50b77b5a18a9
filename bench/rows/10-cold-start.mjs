// Cold start, in fresh Node processes: the time from the first line of a serverless handler to its first
// request, in steps (import, construction, the first request built: checked and handed to the transport, as the
// client's "request" event and an axios request interceptor see it; then its answer over loopback), for this
// package, for MultiSafepay's official wrapper (axios) and for a bare fetch (no import, no construction: the
// first fetch loads Node's bundled undici). The target is issue 21's: import, construction and the first
// request built, against the wrapper's import and construction. The loopback server runs here, in the bench's
// process, so a child pays for nothing but its client.
import { spawn } from "node:child_process";
import http from "node:http";
import { API_KEY, answer, fmt, median, order, ratio, root } from "../lib.mjs";

const SAMPLES = Number(process.env.BENCH_COLD_SAMPLES ?? 11);
const TARGET = 0.5;

const CONTENDERS = {
  "multisafepay-kbc": {
    load: 'const { createMultiSafepay } = await import("multisafepay-kbc");',
    build:
      'const msp = createMultiSafepay({ apiKey: KEY, baseUrl: BASE }); msp.on("request", () => { built ??= performance.now(); });',
    call: "await msp.orders.create(ORDER);",
  },
  "@multisafepay/api-wrapper": {
    load: 'const { default: wrapper } = await import("@multisafepay/api-wrapper"); const Wrapper = wrapper.default ?? wrapper;',
    build:
      'const msp = new Wrapper(KEY, { environment: "test" }); msp.orders.client.defaults.baseURL = BASE + "/"; msp.orders.client.interceptors.request.use((config) => { built ??= performance.now(); return config; });',
    call: "await msp.orders.create(ORDER);",
  },
  "bare fetch": {
    load: "",
    build: "",
    call: 'await (await fetch(BASE + "/orders", { method: "POST", headers: { api_key: KEY, "content-type": "application/json" }, body: JSON.stringify(ORDER) })).json();',
  },
};

function script({ load, build, call }, base) {
  return [
    `const KEY = ${JSON.stringify(API_KEY)}; const BASE = ${JSON.stringify(base)}; const ORDER = ${JSON.stringify(order)};`,
    "let built;",
    "const t0 = performance.now();",
    load,
    "const t1 = performance.now();",
    build,
    "const t2 = performance.now();",
    call,
    "const t3 = performance.now();",
    // The bare fetch has nothing to build before its fetch.
    "process.stdout.write(JSON.stringify({ import: t1 - t0, construct: t2 - t1, built: (built ?? t2) - t2, request: t3 - t2 }));",
    "process.exit(0);",
  ].join("\n");
}

function run(source) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", source], { cwd: root });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
  });
}

export default async function coldStartRow() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(answer));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}/v1/json`;
  const samples = Object.fromEntries(Object.keys(CONTENDERS).map((k) => [k, []]));
  // Interleaved, so that a busy moment of the machine weighs on every contender alike.
  for (let i = 0; i < SAMPLES; i++)
    for (const [name, parts] of Object.entries(CONTENDERS)) samples[name].push(await run(script(parts, base)));
  server.close();

  const stages = (name) => {
    const list = samples[name];
    const pick = (f) => median(list.map(f));
    return {
      import: pick((s) => s.import),
      construct: pick((s) => s.construct),
      request: pick((s) => s.request),
      built: pick((s) => s.built),
      importAndConstruct: pick((s) => s.import + s.construct),
      toFirstRequest: pick((s) => s.import + s.construct + s.built),
      total: pick((s) => s.import + s.construct + s.request),
    };
  };
  const ms = Object.fromEntries(Object.keys(CONTENDERS).map((k) => [k, stages(k)]));
  const ours = ms["multisafepay-kbc"];
  const wrapper = ms["@multisafepay/api-wrapper"];
  const vsWrapper = ours.toFirstRequest / wrapper.importAndConstruct;
  const totalVsWrapper = ours.total / wrapper.total;
  return {
    targets: [
      {
        what: "cold start (fresh node: import, construction, the first request built) vs the official wrapper's import and construction",
        result: `${fmt(vsWrapper, 2)}× (${fmt(ours.toFirstRequest)} ms vs ${fmt(wrapper.importAndConstruct)} ms; to the first order created over loopback: ${fmt(ours.total)} ms vs ${fmt(wrapper.total)} ms, ${fmt(totalVsWrapper, 2)}×; bare fetch ${fmt(ms["bare fetch"].total)} ms)`,
        goal: `≤ ${TARGET}×`,
        met: vsWrapper <= TARGET,
      },
    ],
    lines: [
      `Cold start in a fresh Node process (median of ${SAMPLES}, contenders interleaved), ms`,
      "| client | import | construction | first request built | import + construction + request built | first orders.create answered | import to first order created | vs official wrapper |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...Object.entries(ms).map(
        ([k, v]) =>
          `| ${k} | ${fmt(v.import)} | ${fmt(v.construct)} | ${fmt(v.built)} | ${fmt(v.toFirstRequest)} | ${fmt(v.request)} | ${fmt(v.total)} | ${ratio(v.total, wrapper.total)} |`,
      ),
    ],
    results: { milliseconds: ms, vsWrapper, totalVsWrapper },
  };
}
