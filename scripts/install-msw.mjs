// Installs each msw major the mock is tested with (the optional peer dependency's range in package.json)
// into .cache/msw/<major>, side by side, for test/msw-versions.test.ts. The repository's own msw
// devDependency stays the one the rest of the suite uses. Idempotent: a stamp per major.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { root } from "./run-bin.mjs";

// msw 3 declares engines.node >=22.12 (it uses Set.prototype.intersection): the test skips it on older Node.
export const MSW = { 2: { version: "2.15.0", node: "18.0.0" }, 3: { version: "3.0.5", node: "22.12.0" } };
export const mswDir = (major) => join(root, ".cache/msw", String(major));

export function installMsw(major) {
  const { version } = MSW[major];
  const dir = mswDir(major);
  const stamp = join(dir, "installed.json");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === version) return false;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true }));
  // --engine-strict off: msw 3 on Node 20 installs (with a warning) even though the test will not run it there.
  execFileSync(
    "npm",
    [
      "install",
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      "--engine-strict=false",
      `msw@${version}`,
    ],
    {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, SCARF_ANALYTICS: "false" },
    },
  );
  const installed = JSON.parse(readFileSync(join(dir, "node_modules/msw/package.json"), "utf8")).version;
  if (installed !== version) throw new Error(`.cache/msw/${major}: installed msw ${installed}, expected ${version}`);
  writeFileSync(stamp, version);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const major of Object.keys(MSW)) {
    if (installMsw(major)) console.log(`Installed msw@${MSW[major].version} into .cache/msw/${major}`);
  }
  console.log(
    `msw ${Object.values(MSW)
      .map((m) => m.version)
      .join(" and ")} for the mock's peer-range test are installed.`,
  );
}
