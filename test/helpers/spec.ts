// The bundled spec and an Ajv over it, built the same way as the shipped validators (scripts/spec-formats.mjs).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ErrorObject } from "ajv";
import { guardSpec, requestRoots } from "../../scripts/guard-spec.mjs";
import { createSpecAjv } from "../../scripts/spec-formats.mjs";
import { typedSpec } from "../../scripts/typed-spec.mjs";

export const specPath = fileURLToPath(new URL("../../generated/openapi.json", import.meta.url));
export const spec = JSON.parse(readFileSync(specPath, "utf8"));
export const SPEC_ID = "https://multisafepay-kbc/openapi.json";

export const schemaRef = (name: string) => `#/components/schemas/${name}`;

const ajv = await createSpecAjv();
ajv.addSchema(spec, SPEC_ID);

/** Validates `value` against the schema at a JSON pointer in the bundled spec (e.g. "#/components/schemas/Order"). */
export function validateAt(pointer: string, value: unknown): { valid: boolean; errors: ErrorObject[] } {
  const validate = ajv.getSchema(`${SPEC_ID}${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  const valid = validate(value) as boolean;
  return { valid, errors: validate.errors ?? [] };
}

export const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));
export const readFixture = (path: string) => readFileSync(fixturesDir + path, "utf8");

/** The typed client's guard: the bundled spec with every request object closed (scripts/guard-spec.mjs). */
export const guard = guardSpec(spec, requestRoots(spec));
const guardAjv = await createSpecAjv();
const GUARD_ID = "https://multisafepay-kbc/guard";
guardAjv.addSchema(guard, GUARD_ID);

/** Validates `value` as the typed client's guard does, against the schema at a JSON pointer. */
export function validateGuardAt(pointer: string, value: unknown): { valid: boolean; errors: ErrorObject[] } {
  const validate = guardAjv.getSchema(`${GUARD_ID}${pointer}`);
  if (!validate) throw new Error(`no guard schema at ${pointer}`);
  const valid = validate(value) as boolean;
  return { valid, errors: validate.errors ?? [] };
}

/** The types-only variant (scripts/typed-spec.mjs): what the TypeScript types promise a reader, as a schema. */
const typedAjv = await createSpecAjv();
const TYPED_ID = "https://multisafepay-kbc/typed";
typedAjv.addSchema(typedSpec(spec), TYPED_ID);

/** Validates `value` against what the types promise (fields always sent, not null) at a JSON pointer. */
export function validateTypedAt(pointer: string, value: unknown): { valid: boolean; errors: ErrorObject[] } {
  const validate = typedAjv.getSchema(`${TYPED_ID}${pointer}`);
  if (!validate) throw new Error(`no typed schema at ${pointer}`);
  const valid = validate(value) as boolean;
  return { valid, errors: validate.errors ?? [] };
}
