// Every example in the spec validates against the schema it illustrates.
import { describe, expect, it } from "vitest";
import { spec, validateAt } from "./helpers/spec.js";

type Case = { where: string; pointer: string; value: unknown };

const escape = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");
const resolve = (ref: string) =>
  ref
    .slice(2)
    .split("/")
    .reduce((node: any, key) => node[key.replaceAll("~1", "/").replaceAll("~0", "~")], spec);
const deref = (node: any) => (node && node.$ref ? resolve(node.$ref) : node);

/** Walks operations (paths and webhooks) and collects each media type's and parameter's examples. */
function collectExamples(): Case[] {
  const cases: Case[] = [];
  const mediaTypes = (content: Record<string, any> | undefined, base: string) => {
    for (const [type, media] of Object.entries(content ?? {})) {
      const pointer = `${base}/content/${escape(type)}/schema`;
      for (const [name, example] of Object.entries<any>(media.examples ?? {})) {
        cases.push({ where: `${base} ${type} example "${name}"`, pointer, value: deref(example).value });
      }
      if ("example" in media) cases.push({ where: `${base} ${type} example`, pointer, value: media.example });
    }
  };
  for (const [group, items] of [
    ["paths", spec.paths],
    ["webhooks", spec.webhooks],
  ] as const) {
    for (const [path, item] of Object.entries<any>(items)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (method === "parameters") continue;
        const base = `#/${group}/${escape(path)}/${method}`;
        if (op.requestBody) mediaTypes(deref(op.requestBody).content, `${base}/requestBody`);
        for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
          const target = response.$ref ?? `${base}/responses/${status}`;
          mediaTypes(deref(response).content, target);
        }
        [...(item.parameters ?? []), ...(op.parameters ?? [])].forEach((param: any) => {
          const p = deref(param);
          if ("example" in p)
            cases.push({
              where: `${base} parameter ${p.name}`,
              pointer: "",
              value: { schema: p.schema, example: p.example },
            });
        });
      }
    }
  }
  // Shared responses are reached through $ref above; dedupe those visited more than once.
  return [
    ...new Map(
      cases.map((c) => [`${c.pointer} ${c.where.split(" ").slice(-1)} ${JSON.stringify(c.value)}`, c]),
    ).values(),
  ];
}

const cases = collectExamples();
const mediaCases = cases.filter((c) => c.pointer);
const parameterCases = cases.filter((c) => !c.pointer);

describe("spec examples", () => {
  it("covers both KBC flows, the notification and the errors", () => {
    const names = cases.map((c) => c.where).join("\n");
    for (const name of [
      "kbcRedirect",
      "kbcDirect",
      "kbcCompleted",
      "invalidApiKey",
      "invalidTransactionId",
      "invalidAmount",
    ]) {
      expect(names).toContain(`"${name}"`);
    }
    expect(mediaCases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(mediaCases.map((c) => [c.where, c] as const))("%s validates", (_where, c) => {
    const { valid, errors } = validateAt(c.pointer, c.value);
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each(parameterCases.map((c) => [c.where, c] as const))("%s validates", async (_where, c) => {
    const { schema, example } = c.value as { schema: any; example: unknown };
    const { createSpecAjv } = await import("../scripts/spec-formats.mjs");
    const ajv = await createSpecAjv();
    ajv.addSchema(spec, "local");
    const validate = ajv.compile(schema.$ref ? { $ref: `local${schema.$ref}` } : schema);
    expect(validate(example)).toBe(true);
  });
});
