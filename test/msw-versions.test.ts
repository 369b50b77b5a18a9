// The mock's optional peer is msw `^2.0.0 || ^3.0.0`: this runs the packed mock's msw handlers with each major,
// installed side by side into .cache/msw/<major> (scripts/install-msw.mjs), at runtime (ESM) and in the types.
// msw 3 needs Node >=22.12 (its engines; it calls Set.prototype.intersection): on older Node it is skipped,
// and CI runs it on Node 22, 24 and 26 (.ci/run).
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, packedConsumer, projectRoot } from "./helpers/consumer.js";
import { MSW, installMsw, mswDir } from "../scripts/install-msw.mjs";

const versions = MSW;
const atLeast = (version: string) => {
  const [a, b, c] = process.versions.node.split(".").map(Number);
  const [x, y, z] = version.split(".").map(Number);
  return a! - x! || b! - y! || c! - z!;
};

let consumer: ReturnType<typeof packedConsumer>;
const dirs: Record<string, string> = {};

beforeAll(() => {
  consumer = packedConsumer();
  for (const major of Object.keys(versions)) {
    installMsw(major);
    // One consumer project per msw major: the package (copied, so its `import "msw"` resolves here) and msw.
    const dir = join(consumer.dir, `msw${major}`);
    mkdirSync(join(dir, "node_modules"), { recursive: true });
    cpSync(join(consumer.dir, "node_modules/multisafepay-kbc"), join(dir, "node_modules/multisafepay-kbc"), {
      recursive: true,
    });
    for (const dep of ["openapi-fetch", "openapi-typescript-helpers"])
      symlinkSync(join(projectRoot, "node_modules", dep), join(dir, "node_modules", dep), "dir");
    symlinkSync(join(mswDir(major), "node_modules/msw"), join(dir, "node_modules/msw"), "dir");
    cpSync(join(projectRoot, "test/consumers/msw.mjs"), join(dir, "msw.mjs"));
    cpSync(join(projectRoot, "test/consumers/msw.ts"), join(dir, "msw.ts"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    dirs[major] = dir;
  }
}, 180_000);

afterAll(() => consumer?.cleanup());

const run = async (dir: string, command: string, args: string[]) =>
  (await promisify(execFile)(command, args, { cwd: dir, encoding: "utf8", timeout: 60_000 })).stdout;

describe.each(Object.entries(versions))("the packed mock with msw %s", (major, { version, node }) => {
  const supported = atLeast(node) >= 0;

  it.skipIf(!supported)(
    `msw ${version}: handlers in setupServer, the client, pay() and its notification (Node >=${node})`,
    async () => {
      const result = JSON.parse((await run(dirs[major]!, process.execPath, ["msw.mjs"])).trim().split("\n").pop()!);
      expect(result).toMatchObject({
        msw: { version },
        payment_url: expect.stringMatching(/^https:\/\/testpayv2\.multisafepay\.com\/connect\//),
        status: "completed",
        notified: [["msw-1", true]],
        refused: "authentication_error 401",
      });
      expect(result.msw.dir).toBe(join(mswDir(major), "node_modules/msw"));
    },
  );

  it(`msw ${version}: the mock's types check against it (TypeScript, node16)`, async () => {
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        types: [],
        module: "Node16",
        moduleResolution: "Node16",
      },
      files: ["msw.ts"],
    };
    writeFileSync(join(dirs[major]!, "tsconfig.json"), JSON.stringify(tsconfig));
    await run(dirs[major]!, bin("tsc"), ["-p", "tsconfig.json"]);
    // A whole tsc program with skipLibCheck off: 5-25 s alone, more on a loaded machine (a bound, not a timing).
  }, 60_000);
});
