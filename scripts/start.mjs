// npm start: lint the spec, regenerate generated/, build the package and the docs, then serve on
// http://127.0.0.1:$PORT/ (default 4010) until Ctrl-C: the docs at /, the sandbox API at /v1/json/...,
// the shopper's payment pages at /sandbox/pay/…, and the orders overview at /sandbox. A busy port is
// reported in one line before anything slow runs. Host names and notification targets beyond loopback:
// MSP_SANDBOX_ALLOW_HOSTS and MSP_SANDBOX_ALLOW_NOTIFY (comma-separated), as the bin's --allow-host/--allow-notify.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDocs } from "./docs.mjs";
import { root } from "./run-bin.mjs";

/** The docs page, and whatever `routes` (the sandbox) answer, on one port. */
export function createDocsServer(docsFile, routes) {
  const page = readFileSync(docsFile);
  return createServer(async (req, res) => {
    if (routes && (await routes.handle(req, res).catch(() => fail(res)))) return;
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    if ((req.method === "GET" || req.method === "HEAD") && (pathname === "/" || pathname === "/index.html")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": page.length });
      res.end(req.method === "HEAD" ? undefined : page);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("Not found\n");
  });
}

function fail(res) {
  if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
  res.end(JSON.stringify({ success: false, data: {}, error_code: 9999, error_info: "Unknown error" }));
  return true;
}

function step(script) {
  const result = spawnSync(process.execPath, [join(root, "scripts", script)], { stdio: "inherit", cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Whether `port` is free on `host`: checked before the slow steps, so a busy port fails in a second. */
export function portFree(port, host) {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once("error", (error) => resolve(error));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}

function portMessage(error, port, host) {
  if (error.code === "EADDRINUSE")
    return `Port ${port} on ${host} is already in use: stop whatever is using it, or run PORT=<another port> npm start.`;
  return `Cannot listen on ${host}:${port} (${error.code ?? error.message}): run PORT=<another port> npm start.`;
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const given = process.env.PORT ?? "4010";
  // Checked here, before dist/ exists: the same rule as the bin's --port.
  if (!/^\d{1,5}$/.test(given) || Number(given) > 65535) {
    console.error(`PORT must be a port number from 0 to 65535, not ${JSON.stringify(given)}: run PORT=<n> npm start.`);
    process.exit(1);
  }
  const port = Number(given);
  const host = "127.0.0.1";
  const busy = await portFree(port, host);
  if (busy) {
    console.error(portMessage(busy, port, host));
    process.exit(1);
  }
  step("lint.mjs");
  step("generate.mjs");
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: ["ignore", "ignore", "inherit"], cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const { createSandboxRoutes } = await import("./sandbox.mjs");
  let routes;
  try {
    routes = createSandboxRoutes();
  } catch (error) {
    // A bad MSP_SANDBOX_ALLOW_HOSTS / MSP_SANDBOX_ALLOW_NOTIFY entry: one line, no stack trace.
    console.error(`MSP_SANDBOX_ALLOW_HOSTS / MSP_SANDBOX_ALLOW_NOTIFY: ${error.message}`);
    process.exit(1);
  }
  const server = createDocsServer(buildDocs(), routes);
  // Taken meanwhile (the build takes a while): the same one line, no stack trace.
  server.once("error", (error) => {
    console.error(portMessage(error, port, host));
    process.exit(1);
  });
  server.listen(port, host, () => {
    const base = `http://127.0.0.1:${port}`;
    console.log(`\nMultiSafepay KBC docs:  ${base}/`);
    const key = process.env.MSP_SANDBOX_API_KEY
      ? "the value of MSP_SANDBOX_API_KEY"
      : "any key of at least 5 characters";
    console.log(`Sandbox API:           ${base}/v1/json   (API key: ${key})`);
    console.log(`Sandbox orders:        ${base}/sandbox   (each payment_url opens ${base}/sandbox/pay/…)`);
    console.log(
      "Answers Host localhost, 127.0.0.0/8, [::1] (more: MSP_SANDBOX_ALLOW_HOSTS); notifies loopback only (more: MSP_SANDBOX_ALLOW_NOTIFY)",
    );
    console.log("(Ctrl-C to stop)");
  });
  process.on("SIGINT", () => server.close(() => process.exit(0)));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
