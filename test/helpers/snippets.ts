// The code blocks of the user-facing Markdown (README.md, docs/*.md) and the API reference's samples
// (examples/samples/), as test/snippets.test.ts checks them. The rules a block follows are in CONTRIBUTING.md,
// "Code blocks are tests"; in short:
// - ```ts blocks are typechecked (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess) against the
//   built package and run; ```js blocks run; ```sh blocks run under bash -e.
// - A block that cannot run alone starts with a visible marker: `// fragment: needs msp, order` (ts: the names
//   come from test/snippets/context.ts, declared, so the block is typechecked and not run), `// fragment: <what
//   it needs>` (typechecked, or for js syntax-checked, not run), `# fragment: <why>` (sh: not run).
// - http://127.0.0.1:4010, the sandbox's default address, is replaced by the test's sandbox; MSP_API_KEY is set.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./consumer.js";

export type Lang = "ts" | "js" | "sh";

export interface Block {
  /** Where it is, as `docs/refunds.md:42` (the line of the opening fence). */
  where: string;
  file: string;
  line: number;
  lang: Lang;
  code: string;
  /** The text of the fragment marker, when the block carries one. */
  fragment: string | undefined;
  /** The names a ts fragment takes from the declared context. */
  needs: string[];
}

const LANGS: Record<string, Lang> = { ts: "ts", typescript: "ts", js: "js", javascript: "js", sh: "sh", bash: "sh" };

/** The Markdown files whose blocks are tests: README.md and every page of docs/. */
export function markdownFiles(): string[] {
  const docs = readdirSync(join(projectRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs];
}

const MARKER = { ts: /^\/\/ fragment: (.+)$/, js: /^\/\/ fragment: (.+)$/, sh: /^# fragment: (.+)$/ } as const;

export function blocksOf(file: string, text = readFileSync(join(projectRoot, file), "utf8")): Block[] {
  const blocks: Block[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(\S*)\s*$/.exec(lines[i] ?? "");
    if (!open) continue;
    const [, indent = "", fence = "```", info = ""] = open;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? "").startsWith(`${indent}${fence}`); i++)
      body.push((lines[i] ?? "").slice(indent.length));
    const lang = LANGS[info.toLowerCase()];
    if (!lang) continue;
    const first = body[0] ?? "";
    const fragment = MARKER[lang].exec(first)?.[1];
    const needs =
      lang === "ts" && fragment
        ? (/^needs ([A-Za-z_$][\w$]*(?:, *[A-Za-z_$][\w$]*)*)/.exec(fragment)?.[1]?.split(/, */) ?? [])
        : [];
    blocks.push({ where: `${file}:${start + 1}`, file, line: start + 1, lang, code: body.join("\n"), fragment, needs });
  }
  return blocks;
}

/** The sandbox's default address in the docs, and what the test puts in its place. */
export const DOCUMENTED_SANDBOX = "http://127.0.0.1:4010";

export const substituteSandbox = (code: string, origin: string) => code.replaceAll(DOCUMENTED_SANDBOX, origin);
