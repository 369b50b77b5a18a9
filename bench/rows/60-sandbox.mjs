// The sandbox's row of `npm run bench` (issue 21 item 5); alone: `node bench/index.mjs sandbox` (after
// `npx tsdown`). Three measurements, each against its floor in the same run:
// - create rate with 32 keep-alive clients, the sandbox (dist/sandbox.js, as the bin serves it) against Prism
//   (the devDependency, `prism mock` on the bundled spec), rounds interleaved, with p50 and p99 latency;
// - the cost of a create, a get and a transactions page (one client, one request at a time) at 100 stored
//   orders and again at 100,000 in the same server;
// - the heap the server holds per 10,000 orders (after a forced GC, in the server's own process).
// Each server runs in a process of its own; the load comes from this one, over raw keep-alive sockets (a
// minimal HTTP/1.1 client: node:http's own client costs about as much per request as a fast server, and on a
// 2-core machine it would be what is measured). Its figures also go to bench/sandbox-results.json.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const CLIENTS = 32;
const RATE_ROUNDS = Number(process.env.BENCH_SANDBOX_ROUNDS ?? 3);
const RATE_MS = Number(process.env.BENCH_SANDBOX_MS ?? 2000);
const SMALL = 100;
const LARGE = Number(process.env.BENCH_SANDBOX_ORDERS ?? 100_000);
const COST_ROUNDS = 15;
const COST_CALLS = 100;
// Requests of each kind on the warming sandbox before a measurement (it holds WARM_ORDERS): enough for V8 to
// have optimised the code, whose compilation would otherwise count as the first measurement's CPU time.
const WARM_CALLS = 3000;
const WARM_ORDERS = 5000;
const API_KEY = "bench-sandbox-key-1";

// The server: the sandbox as the bin builds it, in a child with --expose-gc that reports its heap on request.
// Two of them in the one process: the second only warms the code up (JIT), so that the first is measured at
// 100 orders with warm code and no more orders than that.
const SERVER = `
import { createSandboxServer } from ${JSON.stringify(join(root, "dist/sandbox.js"))};
const servers = [0, 1].map(() => createSandboxServer({ apiKey: ${JSON.stringify(API_KEY)} }));
const ports = await Promise.all(servers.map((server) => new Promise((resolve) => {
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => resolve(server.address().port));
})));
process.send({ ports });
process.on("message", (message) => {
  if (message === "exit") process.exit(0);
  if (message === "cpu") {
    const { user, system } = process.cpuUsage();
    return process.send({ cpu: user + system });
  }
  globalThis.gc(); globalThis.gc();
  process.send({ heapUsed: process.memoryUsage().heapUsed });
});
`;

function startSandbox() {
  // BENCH_SANDBOX_PROFILE=<dir>: a CPU profile of each server process, written there when it stops.
  const profile = process.env.BENCH_SANDBOX_PROFILE;
  const flags = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...flags, "--expose-gc", "--input-type=module", "-e", SERVER], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", ({ ports }) => {
      const ask = (question, field) =>
        new Promise((r) => {
          child.once("message", (m) => r(m[field]));
          child.send(question);
        });
      const heap = () => ask("heap", "heapUsed");
      /** The server process's CPU time so far (µs, every thread: GC included). */
      const cpu = () => ask("cpu", "cpu");
      const [target, warm] = ports.map((port) => ({ port, prefix: "/v1/json" }));
      resolve({ target, warm, heap, cpu, pid: child.pid, stop: () => child.send("exit") });
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
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/gateways`, { headers: { api_key: API_KEY } }).then(
      () => true,
      () => false,
    );
    if (up) return { target: { port, prefix: "" }, pid: child.pid, stop: () => child.kill() };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("Prism did not start");
}

/**
 * One keep-alive HTTP/1.1 connection, one request at a time: `send` resolves the status and the body text.
 * Both servers answer with a Content-Length, which is all this client reads.
 */
function connect({ port, prefix }) {
  const socket = net.connect(port, "127.0.0.1");
  socket.setNoDelay(true);
  let buffer = Buffer.alloc(0);
  let pending = null;
  const fail = (error) => {
    const waiting = pending;
    pending = null;
    waiting?.reject(error);
  };
  socket.on("error", fail);
  socket.on("close", () => fail(new Error("connection closed")));
  socket.on("data", (chunk) => {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    if (!pending) return;
    const head = buffer.indexOf("\r\n\r\n");
    if (head < 0) return;
    const headers = buffer.toString("latin1", 0, head);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
    if (!length) return fail(new Error(`no Content-Length: ${headers}`));
    const end = head + 4 + Number(length[1]);
    if (buffer.length < end) return;
    const text = buffer.toString("utf8", head + 4, end);
    buffer = buffer.subarray(end);
    const waiting = pending;
    pending = null;
    waiting.resolve({ status: Number(headers.slice(9, 12)), text });
  });
  const host = `127.0.0.1:${port}`;
  return {
    send(method, path, body) {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        const head = `${method} ${prefix}${path} HTTP/1.1\r\nhost: ${host}\r\napi_key: ${API_KEY}\r\n`;
        socket.write(
          body === undefined
            ? `${head}\r\n`
            : `${head}content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      });
    },
    close: () => socket.destroy(),
  };
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

async function create(connection) {
  const body = orderBody();
  const answer = await connection.send("POST", "/orders", body);
  if (answer.status !== 200 && answer.status !== 201) throw new Error(`create: ${answer.status} ${answer.text}`);
  return JSON.parse(body).order_id;
}

/**
 * A process's CPU time so far in µs (every thread), from /proc: the same reading for the sandbox and for Prism
 * (whose process the bench does not run code in). Undefined where there is no /proc.
 */
function processCpu(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(")").at(-1).trim().split(" ");
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
  } catch {
    return undefined;
  }
}

/**
 * `CLIENTS` clients creating orders back to back for `ms` against `server`: orders per second, latencies (ms),
 * and the server process's CPU time per order (µs).
 */
async function createRate(server, ms) {
  const { target, pid } = server;
  const cpuBefore = processCpu(pid);
  const latencies = [];
  const connections = Array.from({ length: CLIENTS }, () => connect(target));
  const end = performance.now() + ms;
  const client = async (connection) => {
    while (performance.now() < end) {
      const start = performance.now();
      await create(connection);
      latencies.push(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(connections.map(client));
  for (const connection of connections) connection.close();
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = processCpu(pid);
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / latencies.length;
  return { rate: latencies.length / seconds, latencies, cpu };
}

/** Creates orders with `CLIENTS` clients until the server holds `count` (from `held`); returns some of their ids. */
async function fill(target, held, count) {
  const ids = [];
  let left = count - held;
  const connections = Array.from({ length: CLIENTS }, () => connect(target));
  const client = async (connection) => {
    while (left-- > 0) {
      const id = await create(connection);
      if (ids.length < 1000) ids.push(id);
    }
  };
  await Promise.all(connections.map(client));
  for (const connection of connections) connection.close();
  return ids;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/**
 * A create, a get and a transactions page, one request at a time over one connection, in interleaved rounds,
 * after the same requests on `warm` (another sandbox in the same process). Per request: the server's CPU time
 * (median of the rounds), which the neighbours on a shared machine barely change, and the wall time the
 * client waits (the fastest round: the others measure the neighbours too).
 */
async function costs(server, target, ids, warm, warmIds) {
  const contenders = (connection, ids) => {
    let i = 0;
    return {
      create: () => create(connection),
      get: async () => {
        const id = ids[i++ % ids.length];
        const answer = await connection.send("GET", `/orders/${encodeURIComponent(id)}`);
        if (answer.status !== 200) throw new Error(`get: ${answer.status}`);
      },
      "transactions page": async () => {
        const answer = await connection.send("GET", "/transactions?limit=100");
        if (answer.status !== 200) throw new Error(`transactions: ${answer.status}`);
      },
    };
  };
  const warming = connect(warm);
  for (const fn of Object.values(contenders(warming, warmIds))) for (let n = 0; n < WARM_CALLS; n++) await fn();
  warming.close();
  const connection = connect(target);
  const measured = contenders(connection, ids);
  const wall = Object.fromEntries(Object.keys(measured).map((k) => [k, []]));
  const cpu = Object.fromEntries(Object.keys(measured).map((k) => [k, []]));
  // What asking for the CPU time costs the server itself (one IPC round trip), taken off each round.
  const asking = [];
  for (let n = 0; n < COST_ROUNDS; n++) asking.push(-(await server.cpu()) + (await server.cpu()));
  const overhead = median(asking);
  for (let round = 0; round < COST_ROUNDS; round++) {
    for (const [name, fn] of Object.entries(measured)) {
      const cpuBefore = await server.cpu();
      const start = process.hrtime.bigint();
      for (let n = 0; n < COST_CALLS; n++) await fn();
      wall[name].push(Number(process.hrtime.bigint() - start) / 1000 / COST_CALLS);
      cpu[name].push(((await server.cpu()) - cpuBefore - overhead) / COST_CALLS);
    }
  }
  connection.close();
  return Object.fromEntries(Object.keys(measured).map((k) => [k, { cpu: median(cpu[k]), wall: Math.min(...wall[k]) }]));
}

async function sandboxScale() {
  // 1. Create rate, the sandbox and Prism in alternate rounds (after a warm-up round each).
  const sandbox = await startSandbox();
  const prism = await startPrism();
  const ours = [];
  const theirs = [];
  try {
    await createRate(sandbox, 1000);
    await createRate(prism, 1000);
    for (let round = 0; round < RATE_ROUNDS; round++) {
      ours.push(await createRate(sandbox, RATE_MS));
      theirs.push(await createRate(prism, RATE_MS));
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
  const cpuPerCreate = (runs) => (runs.every((r) => r.cpu !== undefined) ? median(runs.map((r) => r.cpu)) : undefined);

  // 2. and 3. Costs at 100 and at 100,000 stored orders, and the heap per order, in one fresh server.
  const scaled = await startSandbox();
  let small;
  let large;
  let heapSmall;
  let heapLarge;
  try {
    const warmIds = await fill(scaled.warm, 0, WARM_ORDERS);
    const smallIds = await fill(scaled.target, 0, SMALL);
    heapSmall = await scaled.heap();
    small = await costs(scaled, scaled.target, smallIds, scaled.warm, warmIds);
    // The measured creates stored orders too: fill from there.
    const largeIds = await fill(scaled.target, SMALL + COST_ROUNDS * COST_CALLS, LARGE);
    heapLarge = await scaled.heap();
    large = await costs(scaled, scaled.target, largeIds, scaled.warm, warmIds);
  } finally {
    scaled.stop();
  }
  const costRatio = Object.fromEntries(Object.keys(small).map((k) => [k, large[k].cpu / small[k].cpu]));
  const perTenThousand = ((heapLarge - heapSmall) / (LARGE - SMALL)) * 10_000;

  const fmt = (n, digits = 1) =>
    n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const ratioOurs = rate(ours) / rate(theirs);
  const targets = [
    {
      what: `sandbox create rate, ${CLIENTS} keep-alive clients, vs Prism in the same run`,
      result: `${fmt(ratioOurs, 2)}× (${fmt(rate(ours), 0)}/s vs ${fmt(rate(theirs), 0)}/s; p50 ${fmt(latency(ours, 50), 2)} ms, p99 ${fmt(latency(ours, 99), 2)} ms; Prism p99 ${fmt(latency(theirs, 99), 2)} ms)`,
      goal: "≥ 7×",
      met: ratioOurs >= 7,
    },
  ];
  const ourCpu = cpuPerCreate(ours);
  const theirCpu = cpuPerCreate(theirs);
  if (ourCpu !== undefined && theirCpu !== undefined)
    targets.push({
      what: "(the same rounds) server CPU per create, Prism's over the sandbox's: the rate each could reach on a core of its own",
      result: `${fmt(theirCpu / ourCpu, 2)}× (${fmt(ourCpu)} µs vs ${fmt(theirCpu)} µs)`,
      goal: "≥ 7×",
      met: theirCpu / ourCpu >= 7,
    });
  for (const [name, r] of Object.entries(costRatio))
    targets.push({
      what: `sandbox ${name} at ${LARGE.toLocaleString("en-US")} stored orders vs at ${SMALL}, server CPU per request`,
      result: `${fmt(r, 2)}× (${fmt(large[name].cpu)} µs vs ${fmt(small[name].cpu)} µs; client waits ${fmt(large[name].wall)} µs vs ${fmt(small[name].wall)} µs)`,
      goal: "≤ 1.5×",
      met: r <= 1.5,
    });
  targets.push({
    what: `sandbox heap per 10,000 orders (after GC, ${SMALL} → ${LARGE.toLocaleString("en-US")} orders)`,
    result: `${fmt(perTenThousand / 1024 / 1024)} MB`,
    goal: "reported",
    met: null,
  });
  const lines = [
    `Sandbox create rate per round (orders/s, ${RATE_ROUNDS} rounds of ${RATE_MS} ms, alternating): sandbox ${ours.map((r) => fmt(r.rate, 0)).join(", ")}; Prism ${theirs.map((r) => fmt(r.rate, 0)).join(", ")}`,
    "",
    `Sandbox costs: ${COST_ROUNDS} interleaved rounds × ${COST_CALLS} sequential requests over one keep-alive connection (server CPU: median round; client wait: fastest round), after warming the same code on another sandbox in the server's process; the creates measured add ${COST_ROUNDS * COST_CALLS} orders (so "at ${SMALL}" holds ${SMALL} to ${SMALL + COST_ROUNDS * COST_CALLS})`,
  ];

  const results = {
    date: new Date().toISOString(),
    clients: CLIENTS,
    createRate: {
      sandbox: rate(ours),
      prism: rate(theirs),
      ratio: ratioOurs,
      cpuMicrosecondsPerCreate: { sandbox: ourCpu ?? null, prism: theirCpu ?? null },
      sandboxLatencyMs: { p50: latency(ours, 50), p99: latency(ours, 99) },
      prismLatencyMs: { p50: latency(theirs, 50), p99: latency(theirs, 99) },
    },
    costMicroseconds: { [SMALL]: small, [LARGE]: large },
    costRatio,
    heapBytesPer10000Orders: perTenThousand,
  };
  writeFileSync(join(root, "bench/sandbox-results.json"), `${JSON.stringify(results, null, 2)}\n`);
  return { targets, lines, results };
}

export default sandboxScale;
