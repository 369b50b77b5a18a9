// The types-only variant of the spec that generated/schema.d.ts is made from (scripts/generate.mjs). The spec
// itself stays as tolerant as MultiSafepay's answers are (nulls, missing fields, statuses added over time) and
// the validators keep reading it; this variant says what a reader can rely on:
// - `x-always-sent: [field, ...]` on an object schema: those fields are required and non-null. The field must
//   be declared in that same schema's `properties` (each use cites its MultiSafepay source in the schema's
//   description). A field that is a `$ref` to a nullable schema makes that schema non-null, and every other
//   reference to it becomes `X | null` (an `anyOf` with `null`), so the types elsewhere say what they said.
// - An open enum, `anyOf: [{ type: string, enum }, { type: string }, { type: "null" }?]` (OrderStatus,
//   FinancialStatus), becomes a string with `x-suggested-values`, which generate.mjs renders as
//   `"completed" | "initialized" | … | (string & {})`: a plain `string` would swallow the literals.

const NULL = "null";

/** The schema a local `#/...` pointer names. */
function resolve(spec, ref) {
  if (!ref.startsWith("#/")) throw new Error(`typed-spec: only local $refs are bundled, got ${ref}`);
  return ref
    .slice(2)
    .split("/")
    .map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((node, k) => {
      if (!node || typeof node !== "object" || !Object.hasOwn(node, k))
        throw new Error(`typed-spec: no schema at ${ref}`);
      return node[k];
    }, spec);
}

const isNullType = (s) => s && typeof s === "object" && s.type === NULL && Object.keys(s).length === 1;

/** Whether `schema` admits `null`: by its `type`, or through a member of its `anyOf`/`oneOf` (and their $refs). */
function admitsNull(spec, schema, seen = new Set()) {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return false;
  seen.add(schema);
  if (schema.$ref) return admitsNull(spec, resolve(spec, schema.$ref), seen);
  if (schema.type === NULL || (Array.isArray(schema.type) && schema.type.includes(NULL))) return true;
  return [schema.anyOf, schema.oneOf].some(
    (list) => Array.isArray(list) && list.some((s) => admitsNull(spec, s, seen)),
  );
}

/** `schema` without its `null`, in place; throws when what is left could still be null. */
function dropNull(spec, schema, where) {
  if (Array.isArray(schema.type)) {
    schema.type = schema.type.filter((t) => t !== NULL);
    if (schema.type.length === 1) schema.type = schema.type[0];
  }
  for (const key of ["anyOf", "oneOf"]) {
    if (Array.isArray(schema[key])) schema[key] = schema[key].filter((s) => !isNullType(s));
  }
  if (admitsNull(spec, schema)) throw new Error(`typed-spec: cannot make ${where} non-null`);
}

/** Every object in the document, with its JSON pointer, parents before children. */
function* nodes(node, pointer = "#") {
  if (!node || typeof node !== "object") return;
  yield [node, pointer];
  for (const [key, value] of Object.entries(node)) {
    // Examples are data, not schemas: a field in one may be called `$ref` or `x-always-sent`.
    if (key === "examples" || key === "example") continue;
    yield* nodes(value, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`);
  }
}

/** An open enum's known values, or undefined when `schema` is not one. */
function openEnum(schema) {
  const list = schema.anyOf;
  if (!Array.isArray(list)) return undefined;
  const closed = list.filter((s) => s.type === "string" && Array.isArray(s.enum));
  const open = list.filter((s) => s.type === "string" && Object.keys(s).length === 1);
  if (
    closed.length !== 1 ||
    open.length !== 1 ||
    closed.length + open.length + list.filter(isNullType).length !== list.length
  )
    return undefined;
  return closed[0].enum;
}

/** The types-only variant of a bundled spec (a new object; `spec` is not changed). */
export function typedSpec(spec) {
  const doc = structuredClone(spec);
  const alwaysSent = new Set(); // the property schemas marked, by identity
  const nonNullTargets = new Set(); // $refs a marked property made non-null

  for (const [node, pointer] of [...nodes(doc)]) {
    const fields = node["x-always-sent"];
    if (fields === undefined) continue;
    if (!Array.isArray(fields) || !fields.every((f) => typeof f === "string"))
      throw new Error(`typed-spec: ${pointer}/x-always-sent must be a list of field names`);
    for (const field of fields) {
      const property = node.properties?.[field];
      if (!property) throw new Error(`typed-spec: ${pointer}/x-always-sent names ${field}, not in its properties`);
      node.required = [...new Set([...(node.required ?? []), field])];
      alwaysSent.add(property);
      if (property.$ref) {
        if (admitsNull(doc, property)) nonNullTargets.add(property.$ref);
      } else dropNull(doc, property, `${pointer}/properties/${field}`);
    }
    delete node["x-always-sent"];
  }

  // Made non-null where it is defined; `| null` again wherever it is used but not marked always sent.
  for (const [node] of [...nodes(doc)]) {
    if (typeof node.$ref !== "string" || !nonNullTargets.has(node.$ref) || alwaysSent.has(node)) continue;
    const { $ref, ...siblings } = node;
    for (const key of Object.keys(node)) delete node[key];
    Object.assign(node, siblings, { anyOf: [{ $ref }, { type: NULL }] });
  }
  for (const ref of nonNullTargets) dropNull(doc, resolve(doc, ref), ref);

  for (const [node] of nodes(doc)) {
    const values = openEnum(node);
    if (!values) continue;
    const nullable = admitsNull(doc, node);
    delete node.anyOf;
    node.type = nullable ? ["string", NULL] : "string";
    node["x-suggested-values"] = values;
  }
  return doc;
}
