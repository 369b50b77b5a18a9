// The sandbox's rows of `npm run bench` (issue 21 item 5), also runnable alone: `node bench/sandbox-scale.mjs`
// (after `npx tsdown`). Three measurements, each against its floor in the same run:
// - create rate with 32 keep-alive clients, the sandbox (dist/sandbox.js, as the bin serves it) against Prism
//   (the devDependency, `prism mock` on the bundled spec), rounds interleaved, with p50 and p99 latency;
// - the cost of a create, a get and a transactions page (one client, one request at a time) at 100 stored
//   orders and again at 100,000 in the same server;
// - the heap the server holds per 10,000 orders (after a forced GC, in the server's own process).
// Each server runs in a process of its own; the load comes from this one. Writes bench/sandbox-results.json.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const CLIENTS = 32;
const RATE_ROUNDS = Number(process.env.BENCH_SANDBOX_ROUNDS ?? 3);
const RATE_MS = Number(process.env.BENCH_SANDBOX_MS ?? 2000);
const SMALL = 100;
const LARGE = Number(process.env.BENCH_SANDBOX_ORDERS ?? 100_000);
const COST_ROUNDS = 7;
const COST_CALLS = 200;
const API_KEY = "bench-sandbox-key-1";

// The server: the sandbox as the bin builds it, in a child with --expose-gc that reports its heap on request.
const SERVER = `
import { createSandboxServer } from ${JSON.stringify(join(root, "dist/sandbox.js"))};
const server = createSandboxServer({ apiKey: ${JSON.stringify(API_KEY)} });
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("message", () => {
  globalThis.gc(); globalThis.gc();
  process.send({ heapUsed: process.memoryUsage().heapUsed });
});
`;

function startSandbox() {
  const child = spawn(process.execPath, ["--expose-gc", "--input-type=module", "-e", SERVER], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", ({ port }) => {
      const heap = () =>
        new Promise((r) => {
          child.once("message", (m) => r(m.heapUsed));
          child.send("heap");
        });
      resolve({ base: `http://127.0.0.1:${port}/v1/json`, heap, stop: () => child.kill() });
    });
  });
}

async function startPrism() {
  const port = await new Promise((resolve) => {
    const probe = http.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const child = spawn(
    join(root, "node_modules/.bin/prism"),
    ["mock", "-h", "127.0.0.1", "-p", String(port), join(root, "generated/openapi.json")],
    { cwd: root, stdio: "ignore" },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${base}/gateways`, { headers: { api_key: API_KEY } }).then(
      () => true,
      () => false,
    );
    if (up) return { base, stop: () => child.kill() };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("Prism did not start");
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

/** One request over the keep-alive agent; resolves the status and the body text. */
function send(method, url, body) {
  return new Promise((resolve, reject) => {
    const headers = { api_key: API_KEY };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(body);
    }
    const req = http.request(url, { method, agent, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

let sequence = 0;
const orderBody = () =>
  JSON.stringify({
    type: "redirect",
    order_id: `bench-${process.pid}-${++sequence}`,
    gateway: sequence % 2 ? "KBC" : "CBC",
    currency: "EUR",
    amount: 1000 + (sequence % 500),
    description: `Benchmark order ${sequence}`,
    payment_options: {
      notification_url: "http://127.0.0.1:9/notify",
      redirect_url: "https://shop.example/ok",
      cancel_url: "https://shop.example/ko",
    },
    customer: { locale: "nl_BE", ip_address: "203.0.113.7", email: "shopper@example.be", first_name: "Jan" },
  });

async function create(base) {
  const body = orderBody();
  const answer = await send("POST", `${base}/orders`, body);
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`create: ${answer.status} ${answer.text}`);
  return JSON.parse(body).order_id;
}

/** `CLIENTS` clients creating orders back to back for `ms`: orders per second and latency percentiles (ms). */
async function createRate(base, ms) {
  const latencies = [];
  const end = performance.now() + ms;
  const client = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      await create(base);
      latencies.push(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - start) / 1000;
  return { rate: latencies.length / seconds, latencies };
}

/** Creates orders with `CLIENTS` clients until the server holds `count` (from `held`); returns some of their ids. */
async function fill(base, held, count) {
  const ids = [];
  let left = count - held;
  const client = async () => {
    while (left-- > 0) {
      const id = await create(base);
      if (ids.length < 1000) ids.push(id);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return ids;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** µs per request of a create, a get and a transactions page, one request at a time, interleaved rounds. */
async function costs(base, ids) {
  let i = 0;
  const contenders = {
    create: () => create(base),
    get: async () => {
      const id = ids[i++ % ids.length];
      const answer = await send("GET", `${base}/orders/${encodeURIComponent(id)}`);
      if (answer.status !== 200) throw new Error(`get: ${answer.status}`);
    },
    "transactions page": async () => {
      const answer = await send("GET", `${base}/transactions?limit=100`);
      if (answer.status !== 200) throw new Error(`transactions: ${answer.status}`);
    },
  };
  const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const fn of Object.values(contenders)) for (let n = 0; n < COST_CALLS; n++) await fn(); // warm up
  for (let round = 0; round < COST_ROUNDS; round++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const start = process.hrtime.bigint();
      for (let n = 0; n < COST_CALLS; n++) await fn();
      samples[name].push(Number(process.hrtime.bigint() - start) / 1000 / COST_CALLS);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

async function sandboxScale() {
  // 1. Create rate, the sandbox and Prism in alternate rounds (after a warm-up round each).
  const sandbox = await startSandbox();
  const prism = await startPrism();
  const ours = [];
  const theirs = [];
  try {
    await createRate(sandbox.base, 500);
    await createRate(prism.base, 500);
    for (let round = 0; round < RATE_ROUNDS; round++) {
      ours.push(await createRate(sandbox.base, RATE_MS));
      theirs.push(await createRate(prism.base, RATE_MS));
    }
  } finally {
    sandbox.stop();
    prism.stop();
  }
  const rate = (runs) => median(runs.map((r) => r.rate));
  const latency = (runs, p) =>
    percentile(
      runs.flatMap((r) => r.latencies),
      p,
    );

  // 2. and 3. Costs at 100 and at 100,000 stored orders, and the heap per order, in one fresh server.
  const scaled = await startSandbox();
  let small;
  let large;
  let heapSmall;
  let heapLarge;
  let stored = 0;
  try {
    const smallIds = await fill(scaled.base, 0, SMALL);
    stored = SMALL;
    heapSmall = await scaled.heap();
    small = await costs(scaled.base, smallIds);
    stored += (COST_ROUNDS + 1) * COST_CALLS;
    const largeIds = await fill(scaled.base, stored, LARGE);
    stored = LARGE;
    heapLarge = await scaled.heap();
    large = await costs(scaled.base, largeIds);
  } finally {
    scaled.stop();
    agent.destroy();
  }
  const costRatio = Object.fromEntries(Object.keys(small).map((k) => [k, large[k] / small[k]]));
  const perTenThousand = ((heapLarge - heapSmall) / (LARGE - SMALL)) * 10_000;

  const fmt = (n, digits = 1) =>
    n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const ratioOurs = rate(ours) / rate(theirs);
  const lines = [
    "",
    "Targets (issue 21, the sandbox), each against its floor in this run",
    "| what | result | target | met |",
    "|---|---:|---:|:---:|",
    `| sandbox create rate, ${CLIENTS} keep-alive clients, vs Prism in the same run | ${fmt(ratioOurs, 2)}× (${fmt(rate(ours), 0)}/s vs ${fmt(rate(theirs), 0)}/s; p50 ${fmt(latency(ours, 50), 2)} ms, p99 ${fmt(latency(ours, 99), 2)} ms; Prism p99 ${fmt(latency(theirs, 99), 2)} ms) | ≥ 7× | ${ratioOurs >= 7 ? "yes" : "no"} |`,
  ];
  for (const [name, r] of Object.entries(costRatio))
    lines.push(
      `| ${name} at ${LARGE.toLocaleString("en-US")} stored orders vs at ${SMALL} | ${fmt(r, 2)}× (${fmt(large[name])} µs vs ${fmt(small[name])} µs) | ≤ 1.5× | ${r <= 1.5 ? "yes" : "no"} |`,
    );
  lines.push(
    `| server heap per 10,000 orders (after GC, ${SMALL} → ${LARGE.toLocaleString("en-US")} orders) | ${fmt(perTenThousand / 1024 / 1024)} MB | reported | – |`,
    "",
    `Create rate per round (orders/s, ${RATE_ROUNDS} rounds of ${RATE_MS} ms, alternating): sandbox ${ours.map((r) => fmt(r.rate, 0)).join(", ")}; Prism ${theirs.map((r) => fmt(r.rate, 0)).join(", ")}`,
    `Costs: median of ${COST_ROUNDS} interleaved rounds × ${COST_CALLS} sequential requests over one keep-alive connection`,
    `Machine: ${cpus()[0]?.model.trim()} × ${cpus().length}, Node ${process.versions.node}, ${process.platform}`,
  );
  console.log(lines.join("\n"));

  const results = {
    date: new Date().toISOString(),
    clients: CLIENTS,
    createRate: {
      sandbox: rate(ours),
      prism: rate(theirs),
      ratio: ratioOurs,
      sandboxLatencyMs: { p50: latency(ours, 50), p99: latency(ours, 99) },
      prismLatencyMs: { p50: latency(theirs, 50), p99: latency(theirs, 99) },
    },
    costMicroseconds: { [SMALL]: small, [LARGE]: large },
    costRatio,
    heapBytesPer10000Orders: perTenThousand,
  };
  writeFileSync(join(root, "bench/sandbox-results.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log("\nWritten to bench/sandbox-results.json");
  return results;
}

await sandboxScale();
