// npm start: lint the spec, regenerate generated/, build the docs, and serve them on
// http://127.0.0.1:$PORT/ (default 4010) until Ctrl-C.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildDocs } from "./docs.mjs";
import { root } from "./run-bin.mjs";

/** A server for the docs page; later routes (the sandbox) hang off the same port. */
export function createDocsServer(docsFile) {
  const page = readFileSync(docsFile);
  return createServer((req, res) => {
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

function step(script) {
  const result = spawnSync(process.execPath, [join(root, "scripts", script)], { stdio: "inherit", cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  step("lint.mjs");
  step("generate.mjs");
  const server = createDocsServer(buildDocs());
  const port = Number(process.env.PORT ?? 4010);
  server.listen(port, "127.0.0.1", () => {
    console.log(`\nMultiSafepay KBC docs: http://127.0.0.1:${port}/   (Ctrl-C to stop)`);
  });
  process.on("SIGINT", () => server.close(() => process.exit(0)));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
