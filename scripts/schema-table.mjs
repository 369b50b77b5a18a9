// Turns the spec's request and notification schemas into the compact table the shipped validators read
// (scripts/schema-check.js, copied to generated/): annotations stripped, shared $refs referenced by index.
// Anything the interpreter does not implement fails the generation, so a spec change cannot silently weaken
// validation.
import { FORMATS, GROUPS, WIDTH_FORMATS } from "./schema-check.js";

const KEYWORDS = ["type", ...GROUPS.flatMap(([, keywords]) => keywords)];
const FORMAT_NAMES = [...Object.keys(FORMATS), ...WIDTH_FORMATS];

/** Annotations only document; dropping them keeps the shipped validators small. */
const ANNOTATIONS = new Set(["title", "description", "examples", "example", "discriminator", "default", "summary"]);
function stripAnnotations(node, key) {
  if (Array.isArray(node)) return node.map((n) => stripAnnotations(n));
  if (!node || typeof node !== "object") return node;
  // Under `properties`, keys are field names (a field may be called "description"), not keywords.
  const keepAll = key === "properties";
  // fromEntries keeps a key named "__proto__" as a key (assignment would set the prototype instead).
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => keepAll || !(ANNOTATIONS.has(k) || k.startsWith("x-")))
      .map(([k, v]) => [k, stripAnnotations(v, k)]),
  );
}

const TYPE_NAMES = ["null", "boolean", "string", "number", "integer", "array", "object"];

/**
 * The table of the schemas at `validators` (name → JSON pointer) and everything they refer to, and each
 * validator's entry in it. Throws on anything scripts/schema-check.js does not implement.
 */
export function schemaTable(spec, validators) {
  const doc = { components: stripAnnotations(spec.components), webhooks: stripAnnotations(spec.webhooks) };
  const resolve = (pointer) =>
    pointer
      .slice(2)
      .split("/")
      .map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((node, k) => {
        if (!node || typeof node !== "object" || !Object.hasOwn(node, k)) throw new Error(`no schema at ${pointer}`);
        return node[k];
      }, doc);
  const table = [];
  const index = new Map();
  const entry = (pointer) => {
    if (!pointer.startsWith("#/")) throw new Error(`${pointer}: only local $refs are implemented`);
    if (!index.has(pointer)) {
      index.set(pointer, table.length);
      table.push(null);
      table[index.get(pointer)] = convert(resolve(pointer), pointer, true);
    }
    return index.get(pointer);
  };

  function convert(schema, where, isEntry = false) {
    if (!schema || typeof schema !== "object" || Array.isArray(schema))
      throw new Error(`${where}: only object schemas are implemented`);
    const keys = Object.keys(schema);
    if (!isEntry && keys.length === 1 && keys[0] === "$ref") return entry(schema.$ref);
    const out = {};
    for (const [k, v] of Object.entries(schema)) {
      const at = `${where}/${k}`;
      if (!KEYWORDS.includes(k)) throw new Error(`${at}: keyword not implemented by scripts/schema-check.js`);
      if (k === "$ref") out[k] = entry(v);
      else if (k === "properties" || k === "patternProperties") {
        // "__proto__" would set the table literal's prototype (and Ajv skips it); a pattern must compile as Ajv's does.
        for (const name of Object.keys(v))
          if (name === "__proto__" || (k === "patternProperties" && !new RegExp(name, "u")))
            throw new Error(`${at}/${name}: not implemented`);
        out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, convert(sub, `${at}/${name}`)]));
      } else if (k === "allOf" || k === "anyOf") out[k] = v.map((sub, i) => convert(sub, `${at}/${i}`));
      else if (k === "items") out[k] = convert(v, at);
      else if (k === "unevaluatedProperties") {
        if (v !== false) throw new Error(`${at}: only unevaluatedProperties: false is implemented`);
        out[k] = evaluatedProperties(schema, where, resolve);
      } else out[k] = checkedValue(k, v, at);
    }
    return out;
  }

  const entries = Object.fromEntries(
    Object.entries(validators).map(([name, pointer]) => {
      let schema = resolve(pointer);
      // A root that only refers elsewhere validates as its target.
      while (Object.keys(schema).length === 1 && schema.$ref) [pointer, schema] = [schema.$ref, resolve(schema.$ref)];
      return [name, entry(pointer)];
    }),
  );
  shareRepeats(table);
  return { table, entries };
}

/** Each subschema position of a converted schema, as [holder, key] pairs. */
function subschemas(schema) {
  const at = [];
  for (const k of ["properties", "patternProperties"])
    for (const name of Object.keys(schema[k] ?? {})) at.push([schema[k], name]);
  for (const k of ["allOf", "anyOf"]) for (let i = 0; i < (schema[k]?.length ?? 0); i++) at.push([schema[k], i]);
  if (schema.items !== undefined) at.push([schema, "items"]);
  return at;
}

/** Inline subschemas written more than once (`{"type":"string","maxLength":100}`) become shared entries. */
function shareRepeats(table) {
  const counts = new Map();
  const count = (schema) => {
    for (const [holder, key] of subschemas(schema)) {
      if (typeof holder[key] !== "object") continue;
      const json = JSON.stringify(holder[key]);
      counts.set(json, (counts.get(json) ?? 0) + 1);
      count(holder[key]);
    }
  };
  table.forEach(count);
  const shared = new Map();
  const share = (schema) => {
    for (const [holder, key] of subschemas(schema)) {
      if (typeof holder[key] !== "object") continue;
      const json = JSON.stringify(holder[key]);
      if (counts.get(json) < 2) share(holder[key]);
      else {
        if (!shared.has(json)) {
          shared.set(json, table.length);
          table.push(holder[key]);
          share(holder[key]);
        }
        holder[key] = shared.get(json);
      }
    }
  };
  for (let i = 0; i < table.length; i++) share(table[i]);
}

/** A non-schema keyword value, checked to be one the interpreter reads the way Ajv does. */
function checkedValue(keyword, value, at) {
  const ok =
    {
      type: () => [value].flat().every((t) => TYPE_NAMES.includes(t)),
      format: () => FORMAT_NAMES.includes(value),
      const: () => value === null || typeof value !== "object",
      enum: () => Array.isArray(value) && value.every((v) => v === null || typeof v !== "object"),
      required: () => Array.isArray(value) && value.every((v) => typeof v === "string"),
      pattern: () => typeof value === "string" && new RegExp(value, "u") instanceof RegExp,
      additionalProperties: () => typeof value === "boolean",
    }[keyword] ?? (() => Number.isFinite(value)); // the limits: minimum, maxLength, minItems, ...
  if (!ok()) throw new Error(`${at}: ${JSON.stringify(value)} is not implemented by scripts/schema-check.js`);
  return value;
}

/**
 * The properties Ajv counts as evaluated next to `unevaluatedProperties` (properties of the schema, of its
 * allOf parts and $refs; all of them once additionalProperties or a nested unevaluatedProperties applies),
 * or true for all. Sets that depend on the data (anyOf branches with properties, patternProperties) are refused.
 */
function evaluatedProperties(schema, where, resolve) {
  const names = new Set();
  const seen = new Set();
  const visit = (s, into, top) => {
    if (seen.has(s)) return false;
    seen.add(s);
    if (s.additionalProperties !== undefined || (!top && s.unevaluatedProperties !== undefined)) return true;
    if (s.patternProperties)
      throw new Error(`${where}: unevaluatedProperties next to patternProperties is not implemented`);
    for (const branch of s.anyOf ?? []) {
      const inner = new Set();
      if (visit(branch, inner, false) || inner.size)
        throw new Error(`${where}: unevaluatedProperties over anyOf branches with properties is not implemented`);
    }
    for (const name of Object.keys(s.properties ?? {})) into.add(name);
    for (const part of [...(s.allOf ?? []), ...(s.$ref ? [resolve(s.$ref)] : [])])
      if (visit(part, into, false)) return true;
    return false;
  };
  return visit(schema, names, true) || [...names];
}
