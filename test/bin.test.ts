// The sandbox as a tool: `multisafepay-kbc-sandbox` from the packed tarball, installed the way the README tells
// a new user to install the package (npm pack, then npm install ./multisafepay-kbc-<version>.tgz), and the
// busy-port message of both the bin and `npm start`.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATION_LIST } from "../src/operations.js";
import { SANDBOX_ROUTES } from "../src/mock/server.js";
import { projectRoot } from "./helpers/consumer.js";

const run = promisify(execFile);
let app: string;
let bin: string;

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), "msp-bin-"));
  const pack = join(app, "pack");
  mkdirSync(pack);
  // dist/ is built once by test/global-setup.ts; a prepack rebuild here would delete it under other tests.
  await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", pack], { cwd: projectRoot });
  const tarball = readdirSync(pack).find((f) => f.endsWith(".tgz"))!;
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "a-shop", private: true }));
  // The README's install, offline: the runtime dependency comes from this checkout instead of the registry.
  const deps = ["openapi-fetch", "openapi-typescript-helpers"].map((d) => join(projectRoot, "node_modules", d));
  await run(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--install-links", join(pack, tarball), ...deps],
    { cwd: app },
  );
  bin = join(app, "node_modules/.bin/multisafepay-kbc-sandbox");
}, 120_000);

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

/** Starts the installed bin and resolves with its base URL once it says where it listens. */
function startBin(args: string[]): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(bin, args, { cwd: app, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`exited ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      const base = /(http:\/\/\S+\/v1\/json)/.exec(line)?.[1];
      if (base) resolve({ child, base });
      else reject(new Error(line));
    });
  });
}

const busyPort = async (): Promise<{ server: Server; port: number }> => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as { port: number }).port };
};

describe("npx multisafepay-kbc-sandbox, from the installed tarball", () => {
  it("is declared in package.json and shipped with what it needs", () => {
    const installed = JSON.parse(readFileSync(join(app, "node_modules/multisafepay-kbc/package.json"), "utf8"));
    expect(installed.bin).toEqual({ "multisafepay-kbc-sandbox": "bin/multisafepay-kbc-sandbox.mjs" });
    // msw is the mock's optional peer dependency: the bin must not need it.
    expect(readdirSync(join(app, "node_modules"))).not.toContain("msw");
  });

  it("the README's install gives the app an importable package", async () => {
    const script =
      'import { createMultiSafepay } from "multisafepay-kbc"; import { verifyNotification } from "multisafepay-kbc/webhooks"; console.log(typeof createMultiSafepay, typeof verifyNotification);';
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: app });
    expect(stdout.trim()).toBe("function function");
  });

  it("--help says what it serves", async () => {
    const { stdout } = await run(bin, ["--help"], { cwd: app });
    expect(stdout).toMatch(/--port <n>/);
    expect(stdout).toMatch(/--host <host>.*default 127\.0\.0\.1/);
    expect(stdout).toMatch(/--api-key <key>/);
    // Every route: each operation of the spec's table, and each of the sandbox's own.
    expect(stdout).toMatch(/The API at http:\/\/<host>:<port>\/v1\/json/);
    for (const { method, path, summary } of [...OPERATION_LIST, ...SANDBOX_ROUTES]) {
      expect(stdout).toMatch(
        new RegExp(
          `^  ${method} +${path.replace(/[{}]/g, "\\$&")} +${summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
          "m",
        ),
      );
    }
    expect(stdout.match(/^ {2}(GET|POST|PATCH) +\//gm)).toHaveLength(OPERATION_LIST.length + SANDBOX_ROUTES.length);
    expect(stdout).toMatch(/--allow-host <name,\.\.\.>[\s\S]*DNS rebinding[\s\S]*MSP_SANDBOX_ALLOW_HOSTS/);
    expect(stdout).toMatch(/--allow-notify <host,\.\.\.>[\s\S]*loopback only[\s\S]*MSP_SANDBOX_ALLOW_NOTIFY/);
    expect(stdout).toMatch(/Origin other than the sandbox's own/);
    expect(stdout).toMatch(/above 1048576 bytes \(1 MiB[\s\S]*413/);
  });

  it("serves the API and the payment pages, with the key it was given", async () => {
    const { child, base } = await startBin(["--port", "0", "--api-key", "bin-key-123"]);
    try {
      expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/json$/);
      const order = {
        type: "redirect",
        order_id: "bin-1",
        gateway: "KBC",
        currency: "EUR",
        amount: 1000,
        description: "From the bin",
      };
      const created = await fetch(`${base}/orders`, {
        method: "POST",
        headers: { authorization: "Bearer bin-key-123" },
        body: JSON.stringify(order),
      }).then((r) => r.json());
      expect(created).toMatchObject({
        success: true,
        data: { order_id: "bin-1", payment_url: expect.stringContaining(`${new URL(base).origin}/sandbox/pay/`) },
      });
      expect(await (await fetch(created.data.payment_url)).text()).toContain("Pay with KBC");
      const wrongKey = await fetch(`${base}/gateways`, { headers: { api_key: "another-key" } });
      expect(await wrongKey.json()).toMatchObject({ error_code: 1032, error_info: "Invalid API key" });
    } finally {
      child.kill();
    }
  });

  it("refuses bad options with exit code 2", async () => {
    await expect(run(bin, ["--port", "http"], { cwd: app })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--port must be a port number"),
    });
    await expect(run(bin, ["--api-key", "abc"], { cwd: app })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("too short"),
    });
    await expect(run(bin, ["--colour"], { cwd: app })).rejects.toMatchObject({ code: 2 });
  });
});

describe("a busy port", () => {
  it("the bin exits 1 with one line naming the port and what to do", async () => {
    const { server, port } = await busyPort();
    try {
      const failure = await run(bin, ["--port", String(port)], { cwd: app }).catch((e) => e);
      expect(failure.code).toBe(1);
      expect(failure.stderr.trim().split("\n")).toEqual([
        `Port ${port} on 127.0.0.1 is already in use: stop whatever is using it, or choose another port (--port <n>, or PORT=<n> npm start).`,
      ]);
    } finally {
      server.close();
    }
  });

  it("npm start and the bin refuse a PORT that is not a port, in one line", async () => {
    for (const port of ["abc", "99999", ""]) {
      const failure = await run(process.execPath, [join(projectRoot, "scripts/start.mjs")], {
        cwd: projectRoot,
        env: { ...process.env, PORT: port },
      }).catch((e) => e);
      expect(failure.code, port).toBe(1);
      expect(failure.stderr.trim().split("\n")).toEqual([
        `PORT must be a port number from 0 to 65535, not ${JSON.stringify(port)}: run PORT=<n> npm start.`,
      ]);
    }
  });

  it("npm start checks first: one line, before lint and build", async () => {
    const { server, port } = await busyPort();
    try {
      const failure = await run(process.execPath, [join(projectRoot, "scripts/start.mjs")], {
        cwd: projectRoot,
        env: { ...process.env, PORT: String(port) },
      }).catch((e) => e);
      expect(failure.code).toBe(1);
      expect(failure.stdout).toBe("");
      expect(failure.stderr.trim().split("\n")).toEqual([
        `Port ${port} on 127.0.0.1 is already in use: stop whatever is using it, or run PORT=<another port> npm start.`,
      ]);
    } finally {
      server.close();
    }
  });
});
