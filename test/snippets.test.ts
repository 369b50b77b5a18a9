// Every code block of README.md and docs/*.md, and every sample the API reference shows (examples/samples/),
// is a test (rules: test/helpers/snippets.ts and CONTRIBUTING.md, "Code blocks are tests"):
// - all TypeScript is typechecked in one program, under strict, exactOptionalPropertyTypes and
//   noUncheckedIndexedAccess, against the built package (dist/, by its own name as an app imports it);
// - every block that is not a fragment runs: TypeScript and JavaScript with node, shell with bash -e, against
//   a sandbox started here on loopback (http://127.0.0.1:4010 in the text is replaced by its address); a
//   block that imports vitest is a test file and runs under `vitest run`;
// - a block that says `// prints: <text>` (… for anything) must print it;
// - a fragment is typechecked (ts; js is syntax-checked) and says so in its test's name, with what it needs.
// The samples run each against a fresh sandbox holding what they act on: order-1001 paid (with a refund whose
// id is $REFUND_ID) and order-1002 unpaid.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../generated/operations.js";
import { createSandboxRoutes } from "../scripts/sandbox.mjs";
import { projectRoot } from "./helpers/consumer.js";
import { type Block, blocksOf, markdownFiles, substituteSandbox } from "./helpers/snippets.js";

// The sandbox takes any key of 5 or more characters, as `npm start` does; the samples read this one.
const API_KEY = "snippet-test-key";
// Inside the project, so that `import "multisafepay-kbc"` resolves to the built package by its own name.
const work = join(projectRoot, ".cache/snippets", String(process.pid));
const samplesDir = join(projectRoot, "examples/samples");

const blocks = markdownFiles().flatMap((file) => blocksOf(file));
const samples = readdirSync(samplesDir)
  .filter((name) => /\.(ts|sh)$/.test(name))
  .sort();

/** The file a ts block is typechecked as: a fragment's marker line becomes the import of what it needs. */
const fileOf = (block: Block) => join(work, `${block.file.replace(/[^\w]/g, "_")}_L${block.line}.ts`);
function typecheckedText(block: Block): string {
  if (!block.needs.length) return block.code;
  const [marker, ...rest] = block.code.split("\n");
  return [`import { ${block.needs.join(", ")} } from "./context.js"; ${marker}`, ...rest].join("\n");
}

const contextNames = [
  ...readFileSync(join(projectRoot, "test/snippets/context.ts"), "utf8").matchAll(
    /^export declare (?:const|function) (\w+)/gm,
  ),
].map((m) => m[1]);

/** What a block says it prints (`// prints: …`, `# prints: …`; "…" stands for anything), as patterns. */
const printsOf = (code: string) =>
  [...code.matchAll(/(?:\/\/|#) prints: (.+)$/gm)].map(
    (m) =>
      new RegExp(
        m[1]!
          .split("…")
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
          .join(".*"),
      ),
  );

let server: Server;
let origin: string;
let routes = createSandboxRoutes();
// Nothing a block runs leaves the machine: node (and so the client) connects to loopback only
// (test/snippets/loopback-only.mjs), and curl goes through a proxy that refuses at once (port 9 on loopback,
// where nothing listens), loopback excepted.
const LOOPBACK_ONLY = pathToFileURL(join(projectRoot, "test/snippets/loopback-only.mjs")).href;
const NO_NETWORK = "http://127.0.0.1:9";
const env = () => ({
  ...process.env,
  MSP_API_KEY: API_KEY,
  NODE_NO_WARNINGS: "1",
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${LOOPBACK_ONLY}`.trim(),
  ...Object.fromEntries(
    ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"].map((name) => [
      name,
      NO_NETWORK,
    ]),
  ),
  no_proxy: "127.0.0.1,localhost,::1",
  NO_PROXY: "127.0.0.1,localhost,::1",
});

beforeAll(async () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  copyFileSync(join(projectRoot, "test/snippets/context.ts"), join(work, "context.ts"));
  server = createServer(async (req, res) => {
    if (!(await routes.handle(req, res))) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  rmSync(work, { recursive: true, force: true });
});

const run = promisify(execFile);
async function runJs(name: string, code: string, extraEnv: Record<string, string> = {}) {
  const file = join(work, name);
  writeFileSync(file, code);
  return run(process.execPath, [file], { cwd: work, env: { ...env(), ...extraEnv }, timeout: 30_000 });
}
/** A test file of the docs, run by vitest as the reader would run it (its own root: none of this project's setup). */
async function runVitest(name: string, code: string) {
  const dir = join(work, "vitest");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), code);
  writeFileSync(join(dir, "vitest.config.mjs"), 'export default { test: { include: ["*.test.mjs"] } };\n');
  return run(join(projectRoot, "node_modules/.bin/vitest"), ["run", "--root", dir, "--config", "vitest.config.mjs"], {
    cwd: dir,
    env: { ...env(), NO_COLOR: "1" },
    timeout: 60_000,
  });
}
const runSh = (code: string, extraEnv: Record<string, string> = {}) =>
  run("bash", ["-euo", "pipefail", "-c", code], { cwd: work, env: { ...env(), ...extraEnv }, timeout: 30_000 });
const toJs = (code: string) =>
  ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
    .outputText;

describe("the code blocks of README.md and docs/", () => {
  it("are found, and each fragment names what it needs from the declared context", () => {
    expect(blocks.filter((b) => b.file === "README.md" && b.lang === "ts").length).toBeGreaterThan(0);
    for (const block of blocks)
      for (const name of block.needs) expect(contextNames, `${block.where} needs ${name}`).toContain(name);
  });

  it("typecheck, with the samples, in one strict program against the built package", () => {
    const files = blocks.filter((b) => b.lang === "ts").map((b) => [fileOf(b), typecheckedText(b)] as const);
    for (const [file, text] of files) writeFileSync(file, text);
    const sampleFiles = samples.filter((s) => s.endsWith(".ts")).map((s) => join(samplesDir, s));
    const program = ts.createProgram([...files.map(([f]) => f), ...sampleFiles], {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: ["node"],
      skipLibCheck: true,
      noEmit: true,
    });
    const where = new Map(blocks.map((b) => [fileOf(b), b]));
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.start === undefined) return text;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const block = where.get(d.file.fileName);
      // The block's first line is the line after its opening fence.
      const at = block ? `${block.file}:${block.line + 1 + line}` : `${d.file.fileName}:${line + 1}`;
      return `${at}: ${text}`;
    });
    expect(problems).toEqual([]);
  }, 60_000);

  for (const block of blocks) {
    if (block.fragment) {
      it(`${block.where} (${block.lang}) is a fragment, ${block.lang === "sh" ? "not run" : block.lang === "ts" ? "typechecked only" : "syntax-checked only"}: ${block.fragment}`, async () => {
        if (block.lang === "js") {
          const file = join(work, `fragment_${block.line}.mjs`);
          writeFileSync(file, block.code);
          await run(process.execPath, ["--check", file]);
        }
        // A marker says what the block needs: more than the bare word.
        expect(block.fragment?.trim().length).toBeGreaterThan(3);
      });
      continue;
    }
    it(`${block.where} (${block.lang}) runs against the sandbox`, async () => {
      const code = substituteSandbox(block.code, origin);
      const name = `${block.file.replace(/[^\w]/g, "_")}_L${block.line}.mjs`;
      const { stdout } =
        block.lang === "sh"
          ? await runSh(code)
          : /from "vitest"/.test(code)
            ? await runVitest(name.replace(/\.mjs$/, ".test.mjs"), toJs(code))
            : await runJs(name, block.lang === "ts" ? toJs(code) : code);
      for (const printed of printsOf(block.code)) expect(stdout, block.where).toMatch(printed);
    });
  }
});

/** A fresh sandbox with what the samples act on; returns the refund's id. */
async function seed(): Promise<string> {
  routes = createSandboxRoutes();
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const answer = await fetch(`${origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    expect(answer.status, path).toBe(200);
    return answer.json() as Promise<{ data?: { refund_id?: number | string } }>;
  };
  const api = { api_key: API_KEY };
  for (const order_id of ["order-1001", "order-1002"])
    await post(
      "/v1/json/orders",
      { type: "redirect", order_id, gateway: "KBC", currency: "EUR", amount: 2450, description: `Order ${order_id}` },
      api,
    );
  await post("/sandbox/orders/order-1001/pay", { status: "completed" });
  const refund = await post("/v1/json/orders/order-1001/refunds", { currency: "EUR", amount: 300 }, api);
  return String(refund.data?.refund_id);
}

/** The samples are written for MultiSafepay's test environment; here they talk to the sandbox. */
const toSandbox = (code: string) =>
  code
    .replaceAll('environment: "test"', `baseUrl: "${origin}/v1/json"`)
    .replaceAll("https://testapi.multisafepay.com", origin);

describe("the API reference's samples (examples/samples/)", () => {
  it("cover every operation of the table in TypeScript and curl, and nothing else", () => {
    const expected = Object.keys(OPERATIONS).flatMap((id) => [`${id}.sh`, `${id}.ts`]);
    expect(samples).toEqual(expected.sort());
  });

  for (const sample of samples)
    it(`${sample} runs against the sandbox`, async () => {
      const refundId = await seed();
      const code = toSandbox(readFileSync(join(samplesDir, sample), "utf8"));
      expect(code, "the sample talks to MultiSafepay's test environment").not.toBe(
        readFileSync(join(samplesDir, sample), "utf8"),
      );
      const { stdout } = sample.endsWith(".sh")
        ? await runSh(code, { REFUND_ID: refundId })
        : await runJs(sample.replace(/\.ts$/, ".mjs"), toJs(code));
      // Every sample prints what it got; curl's answer is MultiSafepay's envelope, successful.
      expect(stdout.trim().length, sample).toBeGreaterThan(0);
      if (sample.endsWith(".sh")) expect(JSON.parse(stdout), sample).toMatchObject({ success: true });
    });
});

describe("how blocks are run", () => {
  it("refuses a block that would reach MultiSafepay's test environment, before anything is sent", async () => {
    const code = toJs(
      [
        'import { createMultiSafepay } from "multisafepay-kbc";',
        'const msp = createMultiSafepay({ apiKey: "snippet-test-key", environment: "test", maxRetries: 0 });',
        'await msp.orders.get("order-1");',
      ].join("\n"),
    );
    const failed = await runJs("reaches_test_environment.mjs", code).then(
      () => undefined,
      (error: { stderr?: string }) => error.stderr ?? "",
    );
    expect(failed).toMatch(/testapi\.multisafepay\.com is not loopback/);
  });

  it("refuses curl to any host but loopback, and lets it reach the sandbox", async () => {
    const refused = await runSh("curl -sS --max-time 5 https://testapi.multisafepay.com/v1/json/gateways").then(
      () => undefined,
      (error: { stderr?: string }) => error.stderr ?? "",
    );
    expect(refused).toMatch(/127\.0\.0\.1 port 9|Could not connect to server|Failed to connect/i);
    const { stdout } = await runSh(`curl -sS --max-time 5 ${origin}/sandbox/clock`);
    expect(JSON.parse(stdout)).toHaveProperty("now");
  });

  it("lets a block reach the sandbox on loopback", async () => {
    const { stdout } = await runJs(
      "reaches_sandbox.mjs",
      `console.log((await fetch("${origin}/sandbox/clock")).status);`,
    );
    expect(stdout.trim()).toBe("200");
  });
});

describe("how blocks are read", () => {
  it("takes ts, js and sh blocks with their markers, and leaves other languages alone", () => {
    const text = [
      "```ts",
      "// fragment: needs msp, order",
      "await msp.orders.create({ ...order, type: 'redirect' });",
      "```",
      "```json",
      "{}",
      "```",
      "```sh",
      "# fragment: starts a server",
      "npx multisafepay-kbc-sandbox",
      "```",
      "```js",
      "console.log(1);",
      "```",
    ].join("\n");
    expect(
      blocksOf("x.md", text).map(({ where, lang, fragment, needs }) => ({ where, lang, fragment, needs })),
    ).toEqual([
      { where: "x.md:1", lang: "ts", fragment: "needs msp, order", needs: ["msp", "order"] },
      { where: "x.md:8", lang: "sh", fragment: "starts a server", needs: [] },
      { where: "x.md:12", lang: "js", fragment: undefined, needs: [] },
    ]);
  });

  it("reads what a block says it prints, … standing for anything", () => {
    const [printed] = printsOf("console.log(x); // prints: order-… is completed (a.b)");
    expect("order-17 is completed (a.b)").toMatch(printed!);
    expect("order-17 is completed (axb)").not.toMatch(printed!);
  });
});
