// The shipped validators (a schema table read by generated/schema-check.js) against Ajv compiled on the full
// bundled spec: the same verdict on every value, and the same field-named issues when a value is bad.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as acceptValidators from "../generated/accept-validators.js";
import * as requestValidators from "../generated/request-validators.js";
import { validateNotification } from "../generated/notification-validator.js";
import type { Validator } from "../generated/request-validators.js";
import { schemaTable } from "../scripts/schema-table.mjs";
import { toIssues } from "../src/issues.js";
import { arbitraryFor } from "./helpers/arbitraries.js";
import { fixturesDir, guard, spec, validateAt, validateGuardAt } from "./helpers/spec.js";

const NOTIFICATION = "#/webhooks/orderNotification/post/requestBody/content/application~1json/schema";
type Check = typeof validateAt;
// Each layer against Ajv on the document it is generated from: the client's guard on guardSpec's, MultiSafepay's
// acceptance (the mock's) and the notification on the bundled spec.
const layer = (module: Record<string, unknown>, label: string, check: Check) =>
  Object.entries(module).map(([name, validate]): [string, Validator, string, Check] => [
    `${name} (${label})`,
    validate as Validator,
    `#/components/schemas/${name.slice("validate".length)}`,
    check,
  ]);
const VALIDATORS: [name: string, validate: Validator, pointer: string, check: Check][] = [
  ...layer(requestValidators, "client's guard", validateGuardAt),
  ...layer(acceptValidators, "MultiSafepay's acceptance", validateAt),
  ["validateNotification", validateNotification, NOTIFICATION, validateAt],
];
const schemaAt = (pointer: string) =>
  pointer
    .slice(2)
    .split("/")
    .map((k) => k.replaceAll("~1", "/"))
    .reduce((node: any, k) => node[k], spec);

// The interpreter itself (untyped JavaScript, copied into generated/ by the generator).
const { compileTable } = (await import("../scripts/schema-check.js" as string)) as {
  compileTable: (table: unknown[]) => (index: number) => unknown;
};
/** A validator straight from the interpreter, for a one-schema table. */
const createdTable = (schema: Record<string, unknown>) => compileTable([schema])(0) as (x: unknown) => boolean;

const issueSet = (issues: { path: string; message: string }[]) =>
  [...new Set(issues.map((i) => `${i.path} ${i.message}`))].sort();

/** Checks one value against one validator and Ajv; returns the verdict so callers can count both kinds. */
function agree(validate: Validator, pointer: string, value: unknown, check: Check): boolean {
  const ours = validate(value);
  const ajv = check(pointer, value);
  expect(ours, `verdict on ${safeJson(value)}`).toBe(ajv.valid);
  if (ours) expect(validate.errors).toBeNull();
  else {
    expect(issueSet(toIssues(validate.errors ?? [])), `issues on ${safeJson(value)}`).toEqual(
      issueSet(toIssues(ajv.errors as never)),
    );
    // Ajv's own errors, in Ajv's order, keyword by keyword.
    const plain = (errors: readonly { instancePath: string; keyword: string; params: unknown }[]) =>
      errors.map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params }));
    expect(plain(validate.errors ?? []), `errors on ${safeJson(value)}`).toEqual(plain(ajv.errors));
  }
  return ours;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 400) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Every object and array inside a JSON document, the document included. */
function nodes(value: unknown, out: unknown[] = []): unknown[] {
  if (value && typeof value === "object") {
    out.push(value);
    for (const child of Object.values(value)) nodes(child, out);
  }
  return out;
}

/** Every `examples`/`example` value in the spec (media types and schemas). */
function specExamples(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const n of node) specExamples(n, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "examples" && Array.isArray(v)) out.push(...v);
      else if (k === "examples" && v && typeof v === "object") out.push(...Object.values(v).map((e: any) => e?.value));
      else if (k === "example") out.push(v);
      else specExamples(v, out);
    }
  }
  return out;
}

function fixtureDocuments(dir = fixturesDir): unknown[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return fixtureDocuments(path);
    if (!name.endsWith(".json")) return [];
    return [JSON.parse(readFileSync(path, "utf8"))];
  });
}

const LONG = (n: number, unit = "a") => unit.repeat(n);
/** Values that break some rule somewhere: wrong types, limits on both sides, code points that are two UTF-16 units. */
const junk = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    undefined,
    0,
    -1,
    1,
    1.5,
    -0,
    NaN,
    Infinity,
    2 ** 53,
    1e21,
    "",
    " ",
    "x",
    true,
    false,
    [],
    {},
    [1],
    { a: 1 },
  ),
  fc.constantFrom<unknown>(
    "EUR",
    "KBC",
    "redirect",
    "void",
    "cancelled",
    "nl_BE",
    "BE",
    "be",
    "completed",
    "https://x.example/a",
    "ftp://x.example",
    "a@b.example",
    "a@b",
    "203.0.113.7",
    "::1",
    "1.2.3",
  ),
  fc
    .constantFrom(1, 2, 3, 10, 25, 45, 50, 64, 100, 150, 200, 201, 500, 501, 2048)
    .chain((n) =>
      fc.constantFrom(
        LONG(n),
        LONG(n + 1),
        LONG(n - 1),
        LONG(n, "😀"),
        LONG(Math.ceil(n / 2), "😀"),
        `https://x.example/${LONG(n)}`,
      ),
    ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.anything({ maxDepth: 1 }),
);
const KEYS = fc.oneof(
  fc.constantFrom(
    "zz_unknown",
    "type",
    "items",
    "description",
    "amount",
    "order_id",
    "__proto__",
    "constructor",
    "a/b~c",
    "MISTERCASH",
    "IDEAL",
    "status",
  ),
  fc.string({ maxLength: 8 }),
);

type Edit = { at: number; kind: "set" | "add" | "delete" | "replace"; key: string; value: unknown };
const edit = fc.record<Edit>({
  at: fc.nat(),
  kind: fc.constantFrom("set", "add", "delete", "replace"),
  key: KEYS,
  value: junk,
});

function fresh(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/** A deep copy of `value` with the edits applied, each at a node picked among all objects and arrays in it. */
function mutate(value: unknown, edits: Edit[]): unknown {
  let copy = structuredClone(value);
  for (const { at, kind, key, value: shared } of edits) {
    const v = fresh(shared); // junk values are shared between runs: never let an edit reach into one

    const all = nodes(copy) as Record<string, unknown>[];
    if (!all.length || kind === "replace") {
      const node = all[at % all.length];
      const first = node && Object.keys(node)[0];
      if (!node || first === undefined || at % 5 === 0) copy = v;
      else node[first] = v;
      continue;
    }
    const node = all[at % all.length]!;
    const keys = Object.keys(node);
    const existing = keys[at % Math.max(keys.length, 1)];
    // An array's `length` cannot be redefined: that edit adds nothing.
    if (kind === "add" && Array.isArray(node) && key === "length") continue;
    if (kind === "add")
      Object.defineProperty(node, key, { value: v, enumerable: true, writable: true, configurable: true });
    else if (kind === "delete" && existing !== undefined) delete node[existing];
    else if (existing !== undefined) node[existing] = v;
  }
  return copy;
}

describe.each(VALIDATORS)("%s agrees with Ajv", (name, validate, pointer, check) => {
  const schema = schemaAt(pointer);
  const valid = arbitraryFor(schema.$ref ? schemaAt(schema.$ref) : schema);

  it("on every example in the spec and every JSON value in test/fixtures (and every object inside them)", () => {
    const values = [...specExamples(spec), ...fixtureDocuments().flatMap((doc) => nodes(doc))];
    expect(values.length).toBeGreaterThan(200);
    const verdicts = values.map((value) => agree(validate, pointer, value, check));
    // Both kinds of verdict occur, or the comparison would prove little.
    expect(verdicts).toContain(false);
    if (!name.startsWith("validateCancelOrderRequest") && !name.startsWith("validateCancelRefundRequest"))
      expect(verdicts).toContain(true);
  });

  it("on values generated from its schema", () => {
    let accepted = 0;
    fc.assert(
      fc.property(valid, (value) => {
        if (agree(validate, pointer, value, check)) accepted++;
      }),
      { numRuns: 300 },
    );
    // The arbitraries aim at valid values; a few miss (e.g. a pattern they approximate), and Ajv decides.
    expect(accepted).toBeGreaterThan(200);
  });

  it("on those values broken at any depth (wrong types, unknown fields, limits, missing fields, nulls)", () => {
    let invalid = 0;
    fc.assert(
      fc.property(valid, fc.array(edit, { minLength: 1, maxLength: 3 }), (value, edits) => {
        if (!agree(validate, pointer, mutate(value, edits), check)) invalid++;
      }),
      { numRuns: 700 },
    );
    expect(invalid).toBeGreaterThan(300);
  });

  it("on values that are not objects, and on objects with inherited or oddly named fields", () => {
    const inherited = Object.create({ zz_inherited: 1, amount: "x" });
    const values = [
      null,
      undefined,
      0,
      "x",
      [],
      [{}],
      true,
      NaN,
      {},
      inherited,
      JSON.parse('{"__proto__": {"a": 1}, "type": "redirect"}'),
      { "a/b~c": 1 },
    ];
    for (const value of values) agree(validate, pointer, value, check);
  });
});

describe("the validators' errors", () => {
  it("are null after a valid value and list every bad field after an invalid one", () => {
    const validate = requestValidators.validateRefundRequest;
    expect(validate({ currency: "EUR", amount: 100 })).toBe(true);
    expect(validate.errors).toBeNull();
    expect(validate({ currency: "USD", amount: 0, extra: 1, description: "d".repeat(201) })).toBe(false);
    expect(
      toIssues(validate.errors ?? [])
        .map((i) => i.path)
        .sort(),
    ).toEqual(["/amount", "/currency", "/description", "/extra"]);
  });
});

describe("the interpreter's compilation", () => {
  // A cold start's first order check compiled the whole order schema; now it compiles what the data reaches.
  // A pattern that cannot compile shows when: it throws only once a value reaches its schema.
  it("compiles a property's, pattern property's or item's schema when a value first reaches it", () => {
    const broken = { type: "string", pattern: "(" };
    const validate = createdTable({
      type: "object",
      properties: { a: broken, list: { type: "array", items: broken } },
      patternProperties: { "^x-": broken },
    });
    expect(validate({ list: [] })).toBe(true);
    expect(() => validate({ a: "1" })).toThrow(SyntaxError);
    expect(() => validate({ "x-1": "1" })).toThrow(SyntaxError);
    expect(() => validate({ list: ["1"] })).toThrow(SyntaxError);
  });
});

describe("non-finite numbers", () => {
  it("are refused as a number and as an integer, by the shipped validators and by Ajv alike (strictNumbers)", () => {
    for (const amount of [Infinity, -Infinity, NaN]) {
      const validate = acceptValidators.validateRefundRequest;
      expect(validate({ currency: "EUR", amount }), String(amount)).toBe(false);
      expect(validate.errors).toEqual([expect.objectContaining({ instancePath: "/amount", keyword: "type" })]);
      expect(validateAt("#/components/schemas/RefundRequest", { currency: "EUR", amount }).errors).toEqual([
        expect.objectContaining({ instancePath: "/amount", keyword: "type" }),
      ]);
    }
    for (const value of [Infinity, -Infinity, NaN]) {
      expect(validateAt("#/components/schemas/Amount", value).valid).toBe(false);
      expect(createdTable({ type: "number" })(value), String(value)).toBe(false);
      expect(createdTable({ type: "number", minimum: 0 })(value), String(value)).toBe(false);
      expect(createdTable({ type: "integer" })(value), String(value)).toBe(false);
    }
    expect(createdTable({ type: "number" })(1.5)).toBe(true);
  });
});

describe("the generator", () => {
  const ORDER = { validateRedirectOrderRequest: "#/components/schemas/RedirectOrderRequest" };
  const withSchema = (name: string, change: (schema: Record<string, any>) => void) => {
    const copy = structuredClone(guard);
    change(copy.components.schemas[name]);
    return copy;
  };

  it("builds the table for the bundled spec", () => {
    const { table, entries } = schemaTable(guard, ORDER);
    expect(table[entries.validateRedirectOrderRequest!]).toMatchObject({
      type: "object",
      unevaluatedProperties: expect.arrayContaining(["order_id", "type"]),
    });
  });

  it.each<[string, string, (schema: Record<string, any>) => void, RegExp]>([
    [
      "a keyword the interpreter lacks",
      "Amount",
      (s) => (s.multipleOf = 5),
      /Amount\/multipleOf: keyword not implemented/,
    ],
    [
      "an unknown format",
      "Description",
      (s) => (s.format = "date-time"),
      /Description\/format: "date-time" is not implemented/,
    ],
    ["an object-valued enum", "KbcGateway", (s) => s.enum.push({ id: "KBC" }), /KbcGateway\/enum/],
    [
      "additionalProperties as a schema",
      "CustomInfoRequest",
      (s) => (s.additionalProperties = { type: "string" }),
      /additionalProperties/,
    ],
    [
      "a boolean subschema",
      "CustomInfoRequest",
      (s) => (s.properties.custom_1 = true),
      /custom_1: only object schemas/,
    ],
    [
      "a field named __proto__",
      "CustomInfoRequest",
      (s) => Object.defineProperty(s.properties, "__proto__", { value: { type: "string" }, enumerable: true }),
      /__proto__: not implemented/,
    ],
    [
      "fields evaluated only by an anyOf branch",
      "RedirectOrderRequest",
      (s) => (s.anyOf = [{ properties: { extra: { type: "string" } } }]),
      /anyOf branches with properties/,
    ],
  ])("refuses %s", (_, name, change, message) => {
    expect(() => schemaTable(withSchema(name, change), ORDER)).toThrow(message);
  });
});
