// fast-check arbitraries generated from the bundled spec's schemas, for the subset of JSON Schema this spec
// uses. Formats and patterns map to conservative generators whose output is valid by construction.
import fc from "fast-check";
import { spec } from "./spec.js";

type Schema = Record<string, any>;
const resolve = (ref: string): Schema =>
  ref
    .slice(2)
    .split("/")
    .reduce((node: any, key) => node[key], spec);

const alnum = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
  minLength: 1,
  maxLength: 12,
});
const FORMATS: Record<string, fc.Arbitrary<string>> = {
  uri: fc.tuple(alnum, alnum).map(([host, path]) => `https://${host}.example/${path}`),
  email: fc.tuple(alnum, alnum).map(([user, host]) => `${user}@${host}.example`),
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
};

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 40;
  let arbitrary: fc.Arbitrary<string>;
  if (schema.format && FORMATS[schema.format]) arbitrary = FORMATS[schema.format]!;
  else if (schema.pattern && schema.pattern !== "^.+$") arbitrary = fc.stringMatching(new RegExp(schema.pattern));
  else
    arbitrary = fc.string({
      minLength: Math.max(minLength, schema.pattern ? 1 : 0),
      maxLength: Math.min(maxLength, 60),
    });
  return arbitrary.filter((s) => [...s].length >= minLength && [...s].length <= maxLength);
}

/** An arbitrary of values valid against `schema`. Optional properties are included or left out at random. */
export function arbitraryFor(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.$ref) return arbitraryFor(resolve(schema.$ref));
  if ("const" in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf)
    return fc.oneof(...schema.anyOf.map((branch: Schema) => arbitraryFor({ ...schema, anyOf: undefined, ...branch })));
  if (schema.oneOf) return fc.oneof(...schema.oneOf.map((branch: Schema) => arbitraryFor(branch)));
  if (schema.allOf) {
    const merged: Schema = { type: "object", properties: {}, required: [...(schema.required ?? [])] };
    for (const part of schema.allOf.map((p: Schema) => (p.$ref ? resolve(p.$ref) : p))) {
      Object.assign(merged.properties, part.properties);
      merged.required.push(...(part.required ?? []));
    }
    // The schema's own properties narrow its parts' (OrderNotification over Order), so they win.
    Object.assign(merged.properties, schema.properties);
    return arbitraryFor(merged);
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const required = new Set<string>(schema.required ?? []);
      const entries = Object.entries<Schema>(schema.properties ?? {});
      return fc.record(Object.fromEntries(entries.map(([k, v]) => [k, arbitraryFor(v)])), {
        requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)),
      });
    }
    case "string":
      return stringArbitrary(schema);
    case "integer":
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 2 ** 31 - 1, 2 ** 31 - 1) });
    case "number":
      return fc.double({
        min: schema.minimum ?? -1e6,
        max: schema.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "array":
      return fc.array(arbitraryFor(schema.items), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case undefined:
      // An empty schema ({}): any JSON value.
      if (Object.keys(schema).length === 0) return fc.jsonValue({ maxDepth: 1 });
      throw new Error(`no arbitrary for ${JSON.stringify(schema).slice(0, 80)}`);
    default:
      throw new Error(`no arbitrary for ${JSON.stringify(schema).slice(0, 80)}`);
  }
}

/**
 * Orders the spec allows. `validate_cart` is switched off: whether a random cart adds up to `amount` is not a
 * schema rule but the sandbox's 1027 check (test/mock.test.ts tests it).
 */
export const validOrder = () =>
  (arbitraryFor(spec.components.schemas.OrderRequest) as fc.Arbitrary<Record<string, unknown>>).map((order) => {
    const options = order.checkout_options as Record<string, unknown> | undefined;
    return options?.validate_cart ? { ...order, checkout_options: { ...options, validate_cart: false } } : order;
  });

/** Ways to break a valid order, each one the spec forbids. */
export const mutation = fc.constantFrom<[string, (order: Record<string, unknown>) => Record<string, unknown>]>(
  ["amount 0", (o) => ({ ...o, amount: 0 })],
  ["amount in euros", (o) => ({ ...o, amount: 10.5 })],
  ["amount as a string", (o) => ({ ...o, amount: String(o.amount) })],
  ["another currency", (o) => ({ ...o, currency: "USD" })],
  ["another gateway", (o) => ({ ...o, gateway: "IDEAL" })],
  ["an empty description", (o) => ({ ...o, description: "" })],
  ["a 201-character description", (o) => ({ ...o, description: "d".repeat(201) })],
  ["a 51-character order id", (o) => ({ ...o, order_id: "o".repeat(51) })],
  ["an unknown field", (o) => ({ ...o, redirect_ulr: "https://x.example" })],
  ["no description", ({ description: _, ...o }) => o],
  ["no gateway", ({ gateway: _, ...o }) => o],
  ["an unknown flow", (o) => ({ ...o, type: "qr" })],
  ["a locale not of the ab_CD form", (o) => ({ ...o, customer: { locale: "dutch" } })],
  [
    "unit_price as a string",
    (o) => ({ ...o, shopping_cart: { items: [{ name: "Backpack", unit_price: "16.49", quantity: 1 }] } }),
  ],
  [
    "a misspelt cart field",
    (o) => ({ ...o, shopping_cart: { items: [{ name: "Backpack", unit_prise: 16.49, quantity: 1 }] } }),
  ],
  ["a misspelt template setting", (o) => ({ ...o, payment_options: { template: { settings: { hide_logos: true } } } })],
);
