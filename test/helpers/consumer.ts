// A throwaway consumer project with the packed package installed, as a user would have it: built from
// `npm pack` (so `files` and `exports` are what ships), with openapi-fetch beside it.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OPERATIONS } from "../../generated/operations.js";

export const projectRoot = resolve(fileURLToPath(import.meta.url), "../../..");
export const bin = (name: string) => join(projectRoot, "node_modules/.bin", name);

export function packedConsumer(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "msp-consumer-"));
  const pack = join(dir, "pack");
  mkdirSync(pack);
  // dist/ is built once by test/global-setup.ts; a prepack rebuild here would delete it under other tests.
  execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", pack], {
    cwd: projectRoot,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tarball = readdirSync(pack).find((f) => f.endsWith(".tgz"))!;
  const installed = join(dir, "node_modules/multisafepay-kbc");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(pack, tarball), "-C", installed, "--strip-components=1"]);
  // The runtime dependency, as npm would install it beside the package.
  for (const dep of ["openapi-fetch", "openapi-typescript-helpers"]) {
    symlinkSync(join(projectRoot, "node_modules", dep), join(dir, "node_modules", dep), "dir");
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function copyInto(dir: string, files: Record<string, string>) {
  for (const [name, from] of Object.entries(files)) cpSync(from, join(dir, name));
}

export interface Stub {
  server: Server;
  baseUrl: string;
  received: { method: string; url: string; apiKey: string | undefined; body: string }[];
  close(): Promise<void>;
}

const CREATE = OPERATIONS.createOrder;

/** A local stand-in for MultiSafepay answering POST /orders with a redirect order, and serving files. */
export async function startStub(files: Record<string, { type: string; body: string }> = {}): Promise<Stub> {
  const received: Stub["received"] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const file = files[req.url ?? ""];
      if (file) {
        res.writeHead(200, { "content-type": file.type });
        res.end(file.body);
        return;
      }
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        apiKey: req.headers.api_key as string | undefined,
        body,
      });
      if (req.method === CREATE.method && req.url === `/v1/json${CREATE.path}`) {
        const { order_id } = JSON.parse(body);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            success: true,
            data: { order_id, payment_url: `https://testpayv2.multisafepay.com/connect/${order_id}/`, session_id: "s" },
          }),
        );
        return;
      }
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ success: false, data: {}, error_code: 1006, error_info: "Invalid transaction ID" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/json`;
  return { server, baseUrl, received, close: () => new Promise((r) => server.close(() => r())) };
}
