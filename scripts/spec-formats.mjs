// The JSON Schema formats the spec uses, defined once (scripts/schema-check.js, the interpreter the shipped
// validators run on) for the generated validators and for every Ajv the tests build on the bundled spec, so
// both give the same verdict.
import { FORMATS, WIDTH_FORMATS } from "./schema-check.js";

/** Registers the spec's formats on an Ajv instance. `int32`/`int64`/`double` are width hints; the schemas' minimum/maximum do the checking. */
export function addSpecFormats(ajv) {
  for (const [name, regex] of Object.entries(FORMATS)) ajv.addFormat(name, regex);
  for (const name of WIDTH_FORMATS) ajv.addFormat(name, true);
  return ajv;
}

/**
 * Ajv for the bundled spec: draft 2020-12 (OAS 3.1), every error, OpenAPI's annotation keywords allowed, and
 * NaN / ±Infinity refused as numbers (strictNumbers, as the interpreter in scripts/schema-check.js does).
 */
export async function createSpecAjv(options = {}) {
  const { default: Ajv2020 } = await import("ajv/dist/2020.js");
  const ajv = new Ajv2020({ strict: false, strictNumbers: true, allErrors: true, ...options });
  return addSpecFormats(ajv);
}
