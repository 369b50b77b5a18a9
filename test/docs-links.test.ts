// Links that lead somewhere: every relative link and anchor of the Markdown a user or contributor reads
// (README.md, CONTRIBUTING.md, ARCHITECTURE.md, CHANGELOG.md, docs/*.md) names a file or folder of this
// repository and, with #anchor, a heading of that page; the API reference shows the package's version, every
// operation's TypeScript and curl samples, and links only to what its server serves (and one credit).
import { existsSync, readFileSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { dirname, join, normalize } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../generated/operations.js";
import { type CodeSample, cachedDocs, pageSpec, SANDBOX_DOCS_PATH, sandboxDocsFile } from "../scripts/docs.mjs";
import { createDocsServer, pageRoutes } from "../scripts/start.mjs";
import { projectRoot } from "./helpers/consumer.js";
import { markdownFiles } from "./helpers/snippets.js";

const pages = [...markdownFiles(), "CONTRIBUTING.md", "ARCHITECTURE.md", "CHANGELOG.md"];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

/** Headings keep their code spans' text; only the fences and inline code elsewhere are dropped. */
function headingsText(file: string) {
  return readFileSync(file, "utf8").replace(/^(```|~~~)[\s\S]*?^\1/gm, "");
}

function linksOf(file: string): string[] {
  const text = headingsText(file).replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

describe("relative links of the Markdown", () => {
  it.each(pages)("%s: each names a file of the repository, and a heading when it has an anchor", (page) => {
    const broken: string[] = [];
    for (const link of linksOf(join(projectRoot, page))) {
      if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:: outside this repository
      const [path = "", anchor] = link.split("#");
      const target = path ? normalize(join(dirname(join(projectRoot, page)), path)) : join(projectRoot, page);
      if (!existsSync(target)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor === undefined) continue;
      if (statSync(target).isDirectory() || !target.endsWith(".md")) broken.push(`${link}: an anchor on a non-page`);
      else if (!headingAnchors(target).has(anchor)) broken.push(`${link}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it("reads headings as GitHub does", () => {
    expect(slug("Two layers: what MultiSafepay accepts, and what the client refuses")).toBe(
      "two-layers-what-multisafepay-accepts-and-what-the-client-refuses",
    );
    expect(slug("The sandbox server, for any language: `multisafepay-kbc-sandbox`")).toBe(
      "the-sandbox-server-for-any-language-multisafepay-kbc-sandbox",
    );
  });
});

function headingAnchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading = ""] of headingsText(file).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n ? `${base}-${n}` : base);
  }
  return anchors;
}

describe("the API reference page", () => {
  const file = cachedDocs();
  const html = readFileSync(file, "utf8");
  let server: ReturnType<typeof createDocsServer>;
  let origin: string;
  beforeAll(async () => {
    server = createDocsServer(file);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
  });

  it("shows the package's version", () => {
    const { version } = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
    expect(html).toContain(`multisafepay-kbc ${version}`);
  });

  it("has TypeScript and curl samples on every operation of the table, from examples/samples/", () => {
    const spec = pageSpec();
    const samples = new Map<string, CodeSample[]>();
    for (const item of Object.values(spec.paths))
      for (const operation of Object.values(item))
        if (operation?.operationId) samples.set(operation.operationId, operation["x-codeSamples"] ?? []);
    for (const id of Object.keys(OPERATIONS)) {
      const given = samples.get(id);
      expect(
        given?.map((s) => s.lang),
        id,
      ).toEqual(["TypeScript", "Shell"]);
      expect(given?.[0]?.source, id).toBe(
        readFileSync(join(projectRoot, `examples/samples/${id}.ts`), "utf8").trimEnd(),
      );
      expect(given?.[1]?.source, id).toBe(
        readFileSync(join(projectRoot, `examples/samples/${id}.sh`), "utf8").trimEnd(),
      );
    }
    // And the built page carries them, in its embedded state (JSON, with "<" escaped).
    const embedded = (text: string) => JSON.stringify(text).slice(1, -1).replaceAll("<", "\\u003c");
    for (const [id, given] of samples) for (const sample of given) expect(html, id).toContain(embedded(sample.source));
  });

  it("links to paths its server serves, and beyond it only to Redoc's credit", async () => {
    const hrefs = [...html.matchAll(/href="([^"`]+)"/g)].map((m) => m[1]!).filter((h) => h !== "data:,");
    const local = hrefs.filter((h) => h.startsWith("/") || !/^[a-z]+:/i.test(h));
    expect(local.length).toBeGreaterThan(1);
    for (const href of new Set([...local.filter((h) => !h.startsWith("#")), ...pageRoutes(html)])) {
      const answer = await fetch(new URL(href, `${origin}/`));
      expect(answer.status, href).toBe(200);
    }
    expect(new Set(hrefs.filter((h) => /^[a-z]+:/i.test(h)))).toEqual(new Set(["https://redocly.com/redoc/"]));
    // The contract's descriptions link nowhere else either (markdown links render only once the page runs).
    const described = JSON.stringify(pageSpec());
    for (const [, target = ""] of described.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target)) throw new Error(`the page links out to ${target}`);
      expect((await fetch(new URL(target, `${origin}/`))).status, target).toBe(200);
    }
  });

  it("links to the sandbox's page exactly when it was built, and serves it", async () => {
    const built = existsSync(sandboxDocsFile(file));
    expect(html.includes(`](${SANDBOX_DOCS_PATH.slice(1)})`)).toBe(built);
    expect((await fetch(`${origin}${SANDBOX_DOCS_PATH}`)).status).toBe(built ? 200 : 404);
  });
});
