// Interprets the schema tables scripts/schema-table.mjs builds: the subset of JSON Schema 2020-12 the spec's
// request and notification schemas use, with Ajv's verdicts and Ajv's errors (allErrors; the same errors,
// params and order, test/validator-equivalence.test.ts). Each schema is compiled into a closure once, at
// first use; no eval, so it runs under a strict CSP. Source: scripts/schema-check.js, copied into generated/.
//
// Table format: an array of schemas; wherever a subschema goes, a number is the table entry at that index
// (a shared $ref or a repeated subschema). `unevaluatedProperties` holds the property names the builder
// found evaluated (or true when every property is): in this spec those sets do not depend on the data.

/** The spec's string formats; scripts/spec-formats.mjs gives Ajv these same expressions. */
export const FORMATS = {
  // Absolute web URL: every `format: uri` in this spec is an address MultiSafepay or a browser must reach.
  uri: /^https?:\/\/[^\s/?#]+[^\s]*$/i,
  // The expressions ajv-formats uses ("full" mode) for the others.
  email:
    /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i,
  ipv4: /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
  ipv6: /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i,
};

// Ajv's type tests with strictNumbers (scripts/spec-formats.mjs sets it): NaN and ±Infinity are neither a
// number nor an integer. JSON has no such values; a JavaScript caller's data may.
const finite = (x) => typeof x == "number" && isFinite(x);
const TYPES = {
  null: (x) => x === null,
  boolean: (x) => typeof x == "boolean",
  string: (x) => typeof x == "string",
  number: finite,
  integer: (x) => finite(x) && !(x % 1),
  array: Array.isArray,
  object: (x) => !!x && typeof x == "object" && !Array.isArray(x),
};

/** Formats that only document a number's width (the schemas' minimum/maximum check it), as Ajv is told. */
export const WIDTH_FORMATS = ["int32", "int64", "double"];

// Ajv's keyword order: untyped keywords first, then one group per type, applied only to data of that type.
// With `type`, these are the keywords implemented (scripts/schema-table.mjs refuses any other); compile()
// checks them in this order.
export const GROUPS = [
  [, ["$ref", "const", "enum", "anyOf", "allOf"]],
  ["number", ["maximum", "minimum", "format"]],
  ["string", ["maxLength", "minLength", "pattern", "format"]],
  ["array", ["maxItems", "minItems", "items"]],
  ["object", ["required", "additionalProperties", "properties", "patternProperties", "unevaluatedProperties"]],
];

const errors = [];
const path = []; // keys from the root to the value being checked

function fail(keyword, params) {
  let instancePath = "";
  for (const k of path)
    instancePath += `/${typeof k == "string" && /[~/]/.test(k) ? k.replace(/~/g, "~0").replace(/\//g, "~1") : k}`;
  errors.push({ instancePath, keyword, params });
  return false;
}

/**
 * A length that compares with `atLeast` as Ajv's code-point count does: the code points are counted only
 * when the UTF-16 length leaves it in doubt (a code point is one or two UTF-16 units).
 */
function length(s, atLeast) {
  if (s.length < atLeast || s.length >= 2 * atLeast) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const isObject = (x) => x && typeof x == "object" && !Array.isArray(x);
const patternsOf = (map) => Object.keys(map ?? {}).map((p) => new RegExp(p, "u"));

function matches(patterns, key) {
  for (const re of patterns) if (re.test(key)) return true;
  return false;
}

/** Compiles a table into `entry index → validator`, each `(data) => boolean` with Ajv's `.errors`. */
export function compileTable(table) {
  const compiled = [];
  const at = (i) => {
    if (!compiled[i]) {
      let real;
      compiled[i] = (x) => real(x); // stands in while entry i compiles, should it refer to itself
      compiled[i] = real = compile(table[i]);
    }
    return compiled[i];
  };
  const sub = (s) => (typeof s == "number" ? at(s) : compile(s));

  // One closure per schema, its keywords checked in GROUPS order; an absent keyword costs one test.
  function compile(s) {
    const types = s.type === undefined ? [] : [s.type].flat();
    const typeError = () => fail("type", { type: s.type });
    const used = GROUPS.map(([, keywords]) => keywords.some((k) => s[k] !== undefined));
    const own = types.length === 1 ? GROUPS.findIndex(([t]) => t === types[0]) : -1;
    // Like Ajv: the type is checked first unless it is a single type whose own group reports it.
    const upfront = types.length > 0 && !(own > 0 && used[own]) ? types.map((t) => TYPES[t]) : null;
    const otherwise = (g) => (g === own && !upfront ? typeError : () => true);
    const [, numberUsed, stringUsed, arrayUsed, objectUsed] = used;
    const [notNumber, notString, notArray, notObject] = [1, 2, 3, 4].map(otherwise);

    const ref = s.$ref === undefined ? null : sub(s.$ref);
    const hasConst = "const" in s;
    const anyOf = s.anyOf?.map(sub);
    const allOf = s.allOf?.map(sub);
    const { maximum, minimum, maxLength, minLength, maxItems, minItems, required, enum: allowed } = s;
    const format = FORMATS[s.format];
    const pattern = s.pattern === undefined ? null : new RegExp(s.pattern, "u");
    // Subschemas under items and properties compile when a value first reaches them: the first check of an
    // order compiles only what its data holds, not the whole order schema (most of a cold start's first check).
    let items = null;
    const closed = s.additionalProperties === false;
    const known = new Set(Object.keys(s.properties ?? {}));
    const patterns = patternsOf(s.patternProperties);
    const keys = [...known];
    const checks = keys.map(() => null);
    const patternSchemas = Object.values(s.patternProperties ?? {});
    const patternChecks = patternSchemas.map(() => null);
    const evaluated = Array.isArray(s.unevaluatedProperties) ? new Set(s.unevaluatedProperties) : null;

    const number = (x) => {
      let ok = true;
      if (maximum !== undefined && (x > maximum || isNaN(x)))
        ok = fail("maximum", { comparison: "<=", limit: maximum });
      if (minimum !== undefined && (x < minimum || isNaN(x)))
        ok = fail("minimum", { comparison: ">=", limit: minimum });
      return ok;
    };
    const string = (x) => {
      let ok = true;
      if (maxLength !== undefined && length(x, maxLength + 1) > maxLength) ok = fail("maxLength", { limit: maxLength });
      if (minLength !== undefined && length(x, minLength) < minLength) ok = fail("minLength", { limit: minLength });
      if (pattern && !pattern.test(x)) ok = fail("pattern", { pattern: s.pattern });
      if (format && !format.test(x)) ok = fail("format", { format: s.format });
      return ok;
    };
    const array = (x) => {
      let ok = true;
      if (maxItems !== undefined && x.length > maxItems) ok = fail("maxItems", { limit: maxItems });
      if (minItems !== undefined && x.length < minItems) ok = fail("minItems", { limit: minItems });
      if (s.items !== undefined && x.length) {
        items ??= sub(s.items);
        for (let i = 0; i < x.length; i++) {
          path.push(i);
          ok = items(x[i]) && ok;
          path.pop();
        }
      }
      return ok;
    };
    const object = (x) => {
      let ok = true;
      if (required)
        for (const name of required) if (x[name] === undefined) ok = fail("required", { missingProperty: name });
      if (closed)
        for (const key in x)
          if (!known.has(key) && !matches(patterns, key))
            ok = fail("additionalProperties", { additionalProperty: key });
      for (let i = 0; i < keys.length; i++) {
        const y = x[keys[i]];
        if (y === undefined) continue;
        path.push(keys[i]);
        ok = (checks[i] ??= sub(s.properties[keys[i]]))(y) && ok;
        path.pop();
      }
      for (let i = 0; i < patterns.length; i++) {
        for (const key in x) {
          if (!patterns[i].test(key)) continue;
          path.push(key);
          ok = (patternChecks[i] ??= sub(patternSchemas[i]))(x[key]) && ok;
          path.pop();
        }
      }
      if (evaluated)
        for (const key in x) if (!evaluated.has(key)) ok = fail("unevaluatedProperties", { unevaluatedProperty: key });
      return ok;
    };

    return (x) => {
      let ok = true;
      if (upfront) {
        let typed = false;
        for (const test of upfront) if ((typed = test(x))) break;
        if (!typed) ok = typeError();
      }
      if (ref) ok = ref(x) && ok;
      if (hasConst && x !== s.const) ok = fail("const", { allowedValue: s.const });
      if (allowed && !allowed.includes(x)) ok = fail("enum", { allowedValues: allowed });
      if (anyOf) ok = anyOfCheck(anyOf, x) && ok;
      if (allOf) for (const check of allOf) ok = check(x) && ok;
      if (numberUsed) ok = (finite(x) ? number(x) : notNumber()) && ok;
      if (stringUsed) ok = (typeof x == "string" ? string(x) : notString()) && ok;
      if (arrayUsed) ok = (Array.isArray(x) ? array(x) : notArray()) && ok;
      if (objectUsed) ok = (isObject(x) ? object(x) : notObject()) && ok;
      return ok;
    };
  }

  return (i) => {
    let check; // compiled at first use, so importing a module of validators costs next to nothing
    const validate = (data) => {
      check ??= at(i);
      // Setting an array's length is a slow builtin even when it does not change: only when needed.
      if (errors.length) errors.length = 0;
      if (path.length) path.length = 0; // left over only if a getter in the data threw mid-check
      const ok = check(data);
      validate.errors = ok ? null : errors.slice();
      return ok;
    };
    validate.fieldsAt = (instancePath) => fieldsAt(table, i, instancePath);
    return validate;
  };
}

/**
 * The property names the schema at entry `i` knows for the object at `instancePath` (an error's), for "did
 * you mean" hints: the properties of every schema that applies there through $ref, allOf and anyOf.
 */
function fieldsAt(table, i, instancePath) {
  const expand = (list) => {
    const out = [];
    const add = (s) => {
      s = typeof s == "number" ? table[s] : s;
      if (!s || out.includes(s)) return;
      out.push(s);
      for (const part of [s.$ref, ...(s.allOf ?? []), ...(s.anyOf ?? [])]) if (part !== undefined) add(part);
    };
    list.forEach(add);
    return out;
  };
  let level = [i];
  for (const key of instancePath
    ? instancePath
        .slice(1)
        .split("/")
        .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
    : []) {
    const next = [];
    for (const s of expand(level)) {
      if (s.properties && Object.hasOwn(s.properties, key)) next.push(s.properties[key]);
      for (const [p, sub] of Object.entries(s.patternProperties ?? {}))
        if (new RegExp(p, "u").test(key)) next.push(sub);
      if (s.items !== undefined && /^\d+$/.test(key)) next.push(s.items);
    }
    level = next;
  }
  return [...new Set(expand(level).flatMap((s) => Object.keys(s.properties ?? {})))];
}

function anyOfCheck(branches, x) {
  const before = errors.length;
  for (const check of branches) {
    if (!check(x)) continue;
    if (errors.length > before) errors.length = before; // the failed branches' errors, as Ajv drops them when one passes
    return true;
  }
  return fail("anyOf", {});
}
