// Interprets the schema tables scripts/schema-table.mjs builds: the subset of JSON Schema 2020-12 the spec's
// request and notification schemas use, with Ajv's verdicts and Ajv's errors (allErrors; the same errors,
// params and order, test/validator-equivalence.test.ts). Schemas are compiled into closures once, at load;
// no eval, so it runs under a strict CSP. Source: scripts/schema-check.js, copied into generated/.
//
// Table format: an array of schemas; wherever a subschema goes, a number is the table entry at that index
// (a shared $ref or a repeated subschema). `unevaluatedProperties` holds the property names the builder
// found evaluated (or true when every property is): in this spec those sets do not depend on the data.

/** The spec's string formats; scripts/spec-formats.mjs gives Ajv these same expressions. */
export const FORMATS = {
  // Absolute web URL: every `format: uri` in this spec is an address MultiSafepay or a browser must reach.
  uri: /^https?:\/\/[^\s/?#]+[^\s]*$/i,
  // The expressions ajv-formats uses ("full" mode) for the others.
  email: /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i,
  ipv4: /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
  ipv6: /^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$/i,
};

// Ajv's type tests (strictNumbers off: NaN is a number, Infinity an integer).
const TYPES = {
  null: (x) => x === null,
  boolean: (x) => typeof x == "boolean",
  string: (x) => typeof x == "string",
  number: (x) => typeof x == "number",
  integer: (x) => typeof x == "number" && !(x % 1) && !isNaN(x),
  array: Array.isArray,
  object: (x) => !!x && typeof x == "object" && !Array.isArray(x),
};

/** Formats that only document a number's width (the schemas' minimum/maximum check it), as Ajv is told. */
export const WIDTH_FORMATS = ["int32", "int64", "double"];

// A group's keywords apply to data of its type; the test is written out so checking a value costs one call fewer.
const GUARDS = {
  number: (all, otherwise) => (x) => (typeof x == "number" ? all(x) : otherwise(x)),
  string: (all, otherwise) => (x) => (typeof x == "string" ? all(x) : otherwise(x)),
  array: (all, otherwise) => (x) => (Array.isArray(x) ? all(x) : otherwise(x)),
  object: (all, otherwise) => (x) => (x && typeof x == "object" && !Array.isArray(x) ? all(x) : otherwise(x)),
};

// Ajv's keyword order: untyped keywords first, then one group per type, applied only to data of that type.
// With `type`, these are the keywords implemented: scripts/schema-table.mjs refuses schemas with any other.
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
  const instancePath = path.map((k) => `/${String(k).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
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

function matches(patterns, key) {
  for (const re of patterns) if (re.test(key)) return true;
  return false;
}

const every = (checks) =>
  checks.length === 1
    ? checks[0]
    : (x) => {
        let ok = true;
        for (const check of checks) ok = check(x) && ok;
        return ok;
      };

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

  const KEYWORD = {
    $ref: sub,
    const: (v) => (x) => x === v || fail("const", { allowedValue: v }),
    enum: (vs) => (x) => vs.includes(x) || fail("enum", { allowedValues: vs }),
    anyOf: (ss) => {
      const checks = ss.map(sub);
      return (x) => {
        const before = errors.length;
        for (const check of checks) {
          if (!check(x)) continue;
          if (errors.length > before) errors.length = before; // the failed branches' errors, as Ajv drops them when one passes
          return true;
        }
        return fail("anyOf", {});
      };
    },
    allOf: (ss) => every(ss.map(sub)),
    maximum: (m) => (x) => !(x > m || isNaN(x)) || fail("maximum", { comparison: "<=", limit: m }),
    minimum: (m) => (x) => !(x < m || isNaN(x)) || fail("minimum", { comparison: ">=", limit: m }),
    format: (f, group) => {
      const re = FORMATS[f]; // the others are width formats, which Ajv is told to accept
      return re && group === "string" && ((x) => re.test(x) || fail("format", { format: f }));
    },
    maxLength: (m) => (x) => length(x, m + 1) <= m || fail("maxLength", { limit: m }),
    minLength: (m) => (x) => length(x, m) >= m || fail("minLength", { limit: m }),
    pattern: (p) => {
      const re = new RegExp(p, "u");
      return (x) => re.test(x) || fail("pattern", { pattern: p });
    },
    maxItems: (m) => (x) => x.length <= m || fail("maxItems", { limit: m }),
    minItems: (m) => (x) => x.length >= m || fail("minItems", { limit: m }),
    items: (s) => {
      const check = sub(s);
      return (x) => {
        let ok = true;
        for (let i = 0; i < x.length; i++) {
          path.push(i);
          ok = check(x[i]) && ok;
          path.pop();
        }
        return ok;
      };
    },
    required: (names) => (x) => {
      let ok = true;
      for (const name of names) if (x[name] === undefined) ok = fail("required", { missingProperty: name });
      return ok;
    },
    additionalProperties: (allowed, _, s) => {
      if (allowed) return;
      const known = new Set(Object.keys(s.properties ?? {}));
      const patterns = Object.keys(s.patternProperties ?? {}).map((p) => new RegExp(p, "u"));
      return (x) => {
        let ok = true;
        for (const key in x) if (!known.has(key) && !matches(patterns, key)) ok = fail("additionalProperties", { additionalProperty: key });
        return ok;
      };
    },
    properties: (props) => {
      const keys = Object.keys(props);
      const checks = keys.map((key) => sub(props[key]));
      return (x) => {
        let ok = true;
        for (let i = 0; i < keys.length; i++) {
          const y = x[keys[i]];
          if (y === undefined) continue;
          path.push(keys[i]);
          ok = checks[i](y) && ok;
          path.pop();
        }
        return ok;
      };
    },
    patternProperties: (props) => {
      const checks = Object.entries(props).map(([p, s]) => [new RegExp(p, "u"), sub(s)]);
      return (x) => {
        let ok = true;
        for (const [re, check] of checks) {
          for (const key in x) {
            if (!re.test(key)) continue;
            path.push(key);
            ok = check(x[key]) && ok;
            path.pop();
          }
        }
        return ok;
      };
    },
    unevaluatedProperties: (evaluated) => {
      if (evaluated === true) return;
      const known = new Set(evaluated);
      return (x) => {
        let ok = true;
        for (const key in x) if (!known.has(key)) ok = fail("unevaluatedProperties", { unevaluatedProperty: key });
        return ok;
      };
    },
  };

  function compile(s) {
    const types = s.type === undefined ? [] : [s.type].flat();
    const typeError = () => fail("type", { type: s.type });
    const used = GROUPS.map(([, keywords]) => keywords.some((k) => s[k] !== undefined));
    const own = types.length === 1 ? GROUPS.findIndex(([t]) => t === types[0]) : -1;
    // Like Ajv: the type is checked first unless it is a single type whose own group reports it.
    const upfront = types.length > 0 && !(own > 0 && used[own]);
    const steps = [];
    if (upfront) {
      const tests = types.map((t) => TYPES[t]);
      steps.push((x) => {
        for (const test of tests) if (test(x)) return true;
        return typeError();
      });
    }
    GROUPS.forEach(([type, keywords], g) => {
      if (!used[g]) return;
      const checks = keywords.filter((k) => s[k] !== undefined).map((k) => KEYWORD[k](s[k], type, s)).filter(Boolean);
      if (!type) return steps.push(...checks);
      const all = checks.length ? every(checks) : () => true;
      const otherwise = g === own && !upfront ? typeError : () => true;
      steps.push(GUARDS[type](all, otherwise));
    });
    return steps.length ? every(steps) : () => true;
  }

  return (i) => {
    const check = at(i);
    const validate = (data) => {
      // Setting an array's length is a slow builtin even when it does not change: only when needed.
      if (errors.length) errors.length = 0;
      if (path.length) path.length = 0; // left over only if a getter in the data threw mid-check
      const ok = check(data);
      validate.errors = ok ? null : errors.slice();
      return ok;
    };
    return validate;
  };
}
