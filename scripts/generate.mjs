// Regenerates generated/ from openapi/: the bundled spec, the TypeScript types and the validators (a schema
// table per module, read by generated/schema-check.js). With --check it writes nothing and exits 1 when a
// committed file differs from what the spec produces now (npm test runs it, so a stale generated/ fails CI).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { guardSpec, operations, orderTypes, requestRoots, RETRY_CLASSES } from "./guard-spec.mjs";
import { notificationShape } from "./notification-shape.mjs";
import { schemaTable } from "./schema-table.mjs";
import { typedSpec } from "./typed-spec.mjs";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const out = join(root, "generated");
/**
 * Marks a top-level call of generated code as free of side effects, so that a bundler drops the constant when
 * nothing uses it (a consumer that imports one function of the package should not carry every table).
 */
const PURE = "/* @__PURE__ */ ";
const NOTIFICATION_SCHEMA = "#/webhooks/orderNotification/post/requestBody/content/application~1json/schema";

/**
 * The validators the package ships, one module per entry point that needs them, each built from the document
 * it names: the request bodies as the typed client's guard checks them (`request-validators`, from
 * guardSpec: unknown fields refused, the spec's `x-client-guard` refusals added) and as MultiSafepay accepts
 * them (`accept-validators`, from the spec itself: what the mock and the sandbox check), and the notification
 * the client reads. Separate modules, so the main entry carries neither the mock's validators nor the
 * (larger) notification validator. One order validator per `type` comes from OrderRequest's discriminator
 * mapping (see orderTypes).
 */
function validatorModules(spec) {
  const pointers = Object.fromEntries(
    requestRoots(spec).map((pointer) => [`validate${pointer.split("/").pop()}`, pointer]),
  );
  const guard = guardSpec(spec, Object.values(pointers));
  // The guard in two modules, each with only the schemas its validators reach: the client loads one when a call
  // first needs it (src/checks.ts), so a consumer that only creates orders never loads the refund schemas.
  const types = new Set(Object.values(orderTypes(spec)));
  const part = (orders) =>
    Object.fromEntries(Object.entries(pointers).filter(([name]) => types.has(name.slice(8)) === orders));
  return {
    "order-validators": { document: guard, validators: part(true), map: "ORDER_VALIDATORS" },
    "body-validators": { document: guard, validators: part(false), map: "BODY_VALIDATORS" },
    "accept-validators": { document: spec, validators: pointers },
    "notification-validator": {
      document: spec,
      validators: { validateNotification: NOTIFICATION_SCHEMA },
    },
  };
}

/**
 * generated/request-validators.js: every validator of the guard, from its two modules, and the Validator type
 * (for the tests and the mock, which read them all; the client loads order-validators and body-validators).
 */
function requestValidatorsModule(specText, modules) {
  const names = (module) => Object.keys(modules[module].validators).join(", ");
  const js =
    `${header(specText)}export { ${names("order-validators")} } from "./order-validators.js";
` +
    `export { ${names("body-validators")} } from "./body-validators.js";
`;
  const dts =
    `${header(specText)}
export interface ValidationIssue { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }
` +
    `export interface Validator { (data: unknown): boolean; errors?: ValidationIssue[] | null; /** The field names known for the object at an error's instancePath. */ fieldsAt(instancePath: string): string[] }
` +
    `export { ${names("order-validators")} } from "./order-validators.js";
` +
    `export { ${names("body-validators")} } from "./body-validators.js";
`;
  return { js, dts };
}

/** Facts the code branches on, read from the spec: environments (servers), error codes, order flows. */
function specConstants(spec, specText) {
  const servers = Object.fromEntries(
    spec.servers.filter((s) => s["x-environment"]).map((s) => [s["x-environment"], s.url]),
  );
  const errorCodes = spec.components.schemas.ErrorResponse.properties.error_code["x-error-codes"];
  const types = orderTypes(spec);
  const constant = (name, value) => `export const ${name} = ${PURE}Object.freeze(${JSON.stringify(value, null, 2)});\n`;
  const js =
    `${header(specText)}\n/** API base URLs by environment, from the spec's \`servers\`. */\n${constant("SERVERS", servers)}\n` +
    `/** MultiSafepay error codes by name, from the spec's \`x-error-codes\`. */\n${constant("ERROR_CODES", errorCodes)}\n` +
    `/** Order \`type\` → request schema, from OrderRequest's discriminator mapping. */\n${constant("ORDER_TYPES", types)}`;
  const literal = (value) =>
    `{ ${Object.entries(value)
      .map(([k, v]) => `readonly ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join("; ")} }`;
  const dts =
    `${header(specText)}\n` +
    `export declare const SERVERS: ${literal(servers)};\n` +
    `export declare const ERROR_CODES: ${literal(errorCodes)};\n` +
    `export declare const ORDER_TYPES: ${literal(types)};\n`;
  return { js, dts };
}

/** A JSON value as a TypeScript type of its exact literals, read-only all the way down. */
function literalType(value) {
  if (Array.isArray(value)) return `readonly [${value.map(literalType).join(", ")}]`;
  if (value && typeof value === "object")
    return `{ ${Object.entries(value)
      .map(([k, v]) => `readonly ${JSON.stringify(k)}: ${literalType(v)}`)
      .join("; ")} }`;
  return JSON.stringify(value);
}

/**
 * The operation table (scripts/guard-spec.mjs operations): one entry per operation of the spec, by
 * operationId, with its body validator (the client guard's; POST /orders has one per order `type`). The
 * client's pipeline, retry rule, resources and `msp.api`, and the mock's router all read it.
 */
function operationTable(spec, specText) {
  const table = operations(spec);
  const js =
    `${header(specText)}\n/** Every operation of the spec by operationId: method, path template, summary, path parameter rules, query parameter names, body schema, retry class (x-retry), documented error codes by status. Its body validators are in order-validators.js and body-validators.js, loaded when a call needs them. */\n` +
    `export const OPERATIONS = ${PURE}Object.freeze({\n${table.map((entry) => `  ${entry.id}: ${PURE}Object.freeze(${JSON.stringify(entry)}),`).join("\n")}\n});\n`;
  const dts =
    `${header(specText)}\n` +
    `export type RetryClass = ${RETRY_CLASSES.map((c) => JSON.stringify(c)).join(" | ")};\n` +
    `export declare const OPERATIONS: {\n${table.map((entry) => `  readonly ${entry.id}: ${literalType(entry)};`).join("\n")}\n};\n`;
  return { js, dts };
}

/** The sandbox's control API (its /sandbox/... routes), a document of its own. */
export const SANDBOX_SPEC = "openapi-sandbox/openapi.yaml";

export function bundleSpec(source = "openapi/openapi.yaml") {
  const dir = mkdtempSync(join(tmpdir(), "msp-bundle-"));
  try {
    const file = join(dir, "openapi.json");
    execFileSync(join(root, "node_modules/.bin/redocly"), ["bundle", source, "-o", file], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: "off" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    return `${JSON.stringify(JSON.parse(readFileSync(file, "utf8")), null, 2)}\n`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function header(specText) {
  const hash = createHash("sha256").update(specText).digest("hex");
  return `// Generated by scripts/generate.mjs from generated/openapi.json (sha256 ${hash}).\n// Do not edit: change openapi/ and run \`npm run generate\`.\n`;
}

/**
 * `x-suggested-values` on a string schema: any string the schema allows is valid, and these common ones are
 * offered by the editor, as `"nl_BE" | "fr_BE" | (string & {})` (a plain `string` would swallow them); `| null`
 * when the schema also allows `null`. The open enums (OrderStatus, FinancialStatus) come here too, through
 * scripts/typed-spec.mjs.
 */
function suggestedValues(schema) {
  const values = schema["x-suggested-values"];
  if (!Array.isArray(values)) return undefined;
  const { factory } = ts;
  const open = factory.createIntersectionTypeNode([
    factory.createKeywordTypeNode(ts.SyntaxKind.StringKeyword),
    factory.createTypeLiteralNode([]),
  ]);
  const nullable = schema.type === "null" || (Array.isArray(schema.type) && schema.type.includes("null"));
  return factory.createUnionTypeNode([
    ...values.map((v) => factory.createLiteralTypeNode(factory.createStringLiteral(v))),
    open,
    ...(nullable ? [factory.createLiteralTypeNode(factory.createNull())] : []),
  ]);
}

async function types(spec, specText) {
  // From the types-only variant (scripts/typed-spec.mjs): fields MultiSafepay always sends required and
  // non-null, open enums as literal unions. Fields with a default are optional to send; openapi-typescript
  // would otherwise make them required.
  const ast = await openapiTS(typedSpec(spec), {
    alphabetize: false,
    defaultNonNullable: false,
    transform: suggestedValues,
  });
  return `${header(specText)}\n${multiLineJsDoc(astToString(ast))}`;
}

/**
 * Every JSDoc block on lines of its own. tsdown's .d.ts bundler moves a one-line `/** … *\/` up, after the
 * previous member on its line, where TypeScript no longer reads it as the next property's doc: hovering
 * `amount` would show nothing (test/amount-docs.test.ts reads the built types as an editor does).
 */
function multiLineJsDoc(source) {
  return source.replace(
    /^( *)\/\*\* (.*?) \*\/$/gm,
    (_, indent, text) => `${indent}/**\n${indent} * ${text}\n${indent} */`,
  );
}

const RUNTIME = join(root, "scripts/schema-check.js");

/** The notification's float and object fields, from its schema (scripts/notification-shape.mjs). */
function notificationShapeModule(spec, specText) {
  const { floats, objects } = notificationShape(spec, NOTIFICATION_SCHEMA);
  const paths = (list) => JSON.stringify(list.map((p) => p.split(".")));
  const js =
    `${header(specText)}/** Fields whose schema allows \`number\` (not only \`integer\`): PHP writes these as floats (\`1.0\`). "*" is every array item. */\n` +
    `export const FLOAT_PATHS = ${PURE}Object.freeze(${paths(floats)});\n\n` +
    `/** Fields whose schema is an object (never an array): PHP writes an empty one as \`[]\`. */\n` +
    `export const OBJECT_PATHS = ${PURE}Object.freeze(${paths(objects)});\n`;
  const dts = `${header(specText)}export declare const FLOAT_PATHS: readonly (readonly string[])[];\nexport declare const OBJECT_PATHS: readonly (readonly string[])[];\n`;
  return { js, dts };
}

function validatorModule(spec, specText, validators, map) {
  const { table, entries } = schemaTable(spec, validators);
  const types = Object.fromEntries(
    Object.entries(orderTypes(spec)).map(([type, schema]) => [`validate${schema}`, type]),
  );
  // ORDER_VALIDATORS by order `type`; BODY_VALIDATORS by schema name.
  const key = (name) => (map === "ORDER_VALIDATORS" ? JSON.stringify(types[name]) : name.slice("validate".length));
  const mapJs = map
    ? `\n/** ${map === "ORDER_VALIDATORS" ? "Order `type` → the validator of its schema." : "Every other request body schema → its validator."} */\nexport const ${map} = ${PURE}Object.freeze({\n${Object.keys(
        validators,
      )
        .map((name) => `  ${key(name)}: ${name},`)
        .join("\n")}\n});\n`
    : "";
  const mapDts = map
    ? `export declare const ${map}: { ${Object.keys(validators)
        .map((name) => `readonly ${key(name)}: Validator`)
        .join("; ")} };\n`
    : "";
  const js =
    `${header(specText)}import { compileTable } from "./schema-check.js";\n\n` +
    `const at = /* @__PURE__ */ compileTable(${JSON.stringify(table)});\n\n` +
    Object.entries(entries)
      .map(([name, i]) => `export const ${name} = /* @__PURE__ */ at(${i});\n`)
      .join("") +
    mapJs;
  const types_ = map
    ? `import type { Validator } from "./request-validators.js";\n`
    : `\nexport interface ValidationIssue { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }\n` +
      `export interface Validator { (data: unknown): boolean; errors?: ValidationIssue[] | null; /** The field names known for the object at an error's instancePath. */ fieldsAt(instancePath: string): string[] }\n`;
  const dts =
    `${header(specText)}${types_}` +
    Object.keys(validators)
      .map((n) => `export declare const ${n}: Validator;\n`)
      .join("") +
    mapDts;
  return { js, dts };
}

/**
 * generated/sandbox-api.js from the sandbox's control API: the document itself (served at
 * /sandbox/openapi.json) and its route table, one entry per operation (id, method, path template, summary),
 * by which src/mock/server.ts routes its /sandbox requests and the bin's --help lists them.
 */
function sandboxApiModule() {
  const text = bundleSpec(SANDBOX_SPEC);
  const document = JSON.parse(text);
  const methods = ["get", "put", "post", "delete", "patch"];
  const routes = Object.entries(document.paths).flatMap(([path, item]) =>
    methods
      .filter((method) => item[method])
      .map((method) => ({
        id: item[method].operationId,
        method: method.toUpperCase(),
        path,
        summary: item[method].summary,
      })),
  );
  const hash = createHash("sha256").update(text).digest("hex");
  const head = `// Generated by scripts/generate.mjs from ${SANDBOX_SPEC} (bundled, sha256 ${hash}).\n// Do not edit: change ${SANDBOX_SPEC} and run \`npm run generate\`.\n`;
  const js =
    `${head}/** The sandbox's control API document, as /sandbox/openapi.json serves it. */\n` +
    `export const SANDBOX_OPENAPI = ${JSON.stringify(document)};\n\n` +
    `/** Every operation of the document: id (operationId), method, path template, summary. */\n` +
    `export const SANDBOX_ROUTES = Object.freeze(${JSON.stringify(routes, null, 2)});\n`;
  const dts =
    `${head}/** The sandbox's control API document, as /sandbox/openapi.json serves it. */\n` +
    `export declare const SANDBOX_OPENAPI: { readonly openapi: string; readonly paths: Record<string, unknown>; readonly [key: string]: unknown };\n` +
    `export declare const SANDBOX_ROUTES: ${literalType(routes)};\n`;
  return { js, dts };
}

export async function generate() {
  const specText = bundleSpec();
  const spec = JSON.parse(specText);
  const files = { "openapi.json": specText, "schema.d.ts": await types(spec, specText) };
  // A fresh parse: openapi-typescript (types above) writes into the spec object it is given, e.g. an allOf
  // part with the discriminator's `type` value.
  const modules = validatorModules(JSON.parse(specText));
  for (const [module, { document, validators, map }] of Object.entries(modules)) {
    const { js, dts } = validatorModule(document, specText, validators, map);
    files[`${module}.js`] = js;
    files[`${module}.d.ts`] = dts;
  }
  const guard = requestValidatorsModule(specText, modules);
  files["request-validators.js"] = guard.js;
  files["request-validators.d.ts"] = guard.dts;
  files["schema-check.js"] = `${header(specText)}${readFileSync(RUNTIME, "utf8")}`;
  const shape = notificationShapeModule(JSON.parse(specText), specText);
  files["notification-shape.js"] = shape.js;
  files["notification-shape.d.ts"] = shape.dts;
  const constants = specConstants(spec, specText);
  files["spec-constants.js"] = constants.js;
  files["spec-constants.d.ts"] = constants.dts;
  const table = operationTable(spec, specText);
  files["operations.js"] = table.js;
  files["operations.d.ts"] = table.dts;
  const sandbox = sandboxApiModule();
  files["sandbox-api.js"] = sandbox.js;
  files["sandbox-api.d.ts"] = sandbox.dts;
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  const files = await generate();
  const stale = [];
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const path = join(out, name);
    const current = existsSync(path) ? readFileSync(path, "utf8") : null;
    if (current === text) continue;
    if (check) stale.push(`generated/${name}`);
    else writeFileSync(path, text);
  }
  if (check && stale.length) {
    console.error(`Stale generated files (run \`npm run generate\` and commit):\n  ${stale.join("\n  ")}`);
    process.exit(1);
  }
  console.log(check ? "generated/ is up to date." : `generated/: ${Object.keys(files).join(", ")}`);
}
