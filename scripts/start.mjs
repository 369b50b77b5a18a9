// npm start: lint the spec, regenerate generated/, build the package and the docs, then serve on
// http://127.0.0.1:$PORT/ (default 4010) until Ctrl-C: the docs at /, the sandbox's control API page at
// /sandbox.html (when its contract exists), the sandbox API at /v1/json/..., the shopper's payment pages at
// /sandbox/pay/…, and the orders overview at /sandbox. It prints the addresses and nothing else: each step's
// output is held and printed only when the step fails (CONTRIBUTING.md, "What the terminal shows"). A busy
// port is reported in one line before anything slow runs. Host names and notification targets beyond loopback:
// MSP_SANDBOX_ALLOW_HOSTS and MSP_SANDBOX_ALLOW_NOTIFY (comma-separated), as the bin's --allow-host/--allow-notify.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDocs, SANDBOX_DOCS_PATH, sandboxDocsFile } from "./docs.mjs";
import { root } from "./run-bin.mjs";

/** The docs pages (the sandbox's beside the main one, when it was built), and whatever `routes` (the sandbox) answer, on one port. */
export function createDocsServer(docsFile, routes) {
  const page = readFileSync(docsFile);
  // Redoc's menu links each tag as a path (/orders, /refunds, …) and routes them in the page; opened in a new
  // tab or reloaded, such a path is the same page.
  const menuRoutes = pageRoutes(page.toString("utf8"));
  const pages = new Map([["/index.html", page], ...menuRoutes.map((path) => [path, page])]);
  if (existsSync(sandboxDocsFile(docsFile))) pages.set(SANDBOX_DOCS_PATH, readFileSync(sandboxDocsFile(docsFile)));
  return createServer(async (req, res) => {
    if (routes && (await routes.handle(req, res).catch(() => fail(res)))) return;
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    const found = pages.get(pathname);
    if ((req.method === "GET" || req.method === "HEAD") && found) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": found.length });
      res.end(req.method === "HEAD" ? undefined : found);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    res.end("Not found\n");
  });
}

/** The paths the page links to on its own origin (Redoc's menu), "/" included. */
export function pageRoutes(html) {
  const linked = [...html.matchAll(/href="(\/[^"#?]*)"/g)].map((m) => m[1]);
  return [...new Set(["/", ...linked])];
}

function fail(res) {
  if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
  res.end(JSON.stringify({ success: false, data: {}, error_code: 9999, error_info: "Unknown error" }));
  return true;
}

/** Runs a step with its output held: printed whole only when it fails, since then it says what to fix. */
function step(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status === 0) return;
  process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
  console.error(`npm start: ${[command, ...args].join(" ")} failed; nothing is served.`);
  process.exit(result.status ?? 1);
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
  step(process.execPath, [join(root, "scripts/lint.mjs")]);
  step(process.execPath, [join(root, "scripts/generate.mjs")]);
  step("npm", ["run", "--silent", "build"]);
  const { createSandboxRoutes } = await import("./sandbox.mjs");
  let routes;
  try {
    routes = createSandboxRoutes();
  } catch (error) {
    // A bad MSP_SANDBOX_ALLOW_HOSTS / MSP_SANDBOX_ALLOW_NOTIFY entry: one line, no stack trace.
    console.error(`MSP_SANDBOX_ALLOW_HOSTS / MSP_SANDBOX_ALLOW_NOTIFY: ${error.message}`);
    process.exit(1);
  }
  let docs;
  try {
    docs = buildDocs();
  } catch (error) {
    console.error(`npm start: ${error.message}; nothing is served.`);
    process.exit(1);
  }
  const server = createDocsServer(docs, routes);
  // Taken meanwhile (the build takes a while): the same one line, no stack trace.
  server.once("error", (error) => {
    console.error(portMessage(error, port, host));
    process.exit(1);
  });
  server.listen(port, host, () => {
    const base = `http://127.0.0.1:${server.address().port}`;
    const key = process.env.MSP_SANDBOX_API_KEY ? "the value of MSP_SANDBOX_API_KEY" : "any key of 5+ characters";
    const lines = [
      ["API reference", `${base}/`],
      ...(existsSync(sandboxDocsFile(docs)) ? [["Sandbox control", `${base}${SANDBOX_DOCS_PATH}`]] : []),
      ["Sandbox API", `${base}/v1/json   (the client's baseUrl; API key: ${key})`],
      ["Orders", `${base}/sandbox`],
    ];
    console.log(`${lines.map(([what, url]) => `${`${what}:`.padEnd(17)}${url}`).join("\n")}\nCtrl-C to stop.`);
  });
  process.on("SIGINT", () => server.close(() => process.exit(0)));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
