// Where the notification schema puts floats and objects, read from the spec, for the sandbox's PHP-style
// serializer (src/mock/php-json.ts: a float that is whole is written `1.0`) and the reader
// (src/notifications.ts: PHP's empty array `[]` where the order has an object is read as `{}`).
// A path is a list of property names, with "*" for "every item of the array".

const pointer = (spec, ref) =>
  ref
    .slice(2)
    .split("/")
    .map((k) => k.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((node, k) => node?.[k], spec);

/** Every path under `root` whose schema allows `number` (a float: `integer` is its own type) or is an object. */
export function notificationShape(spec, root) {
  const floats = new Set();
  const objects = new Set();
  const visit = (schema, path, refs) => {
    // Each $ref at most once per path: the schemas are not recursive today, and must not loop if they become so.
    const parts = flatten(spec, schema, refs);
    const types = new Set(parts.flatMap((p) => [p.type ?? []].flat()));
    const key = path.join(".");
    if (types.has("number")) floats.add(key);
    if (types.has("object") && !types.has("array") && path.length) objects.add(key);
    const properties = new Map();
    const items = [];
    for (const part of parts) {
      for (const [name, sub] of Object.entries(part.properties ?? {}))
        properties.set(name, [...(properties.get(name) ?? []), sub]);
      if (part.items && typeof part.items === "object") items.push(part.items);
    }
    for (const [name, subs] of properties) visit({ allOf: subs }, [...path, name], refs);
    if (items.length) visit({ allOf: items }, [...path, "*"], refs);
  };
  visit(pointer(spec, root), [], new Set());
  return { floats: [...floats].sort(), objects: [...objects].sort() };
}

/** The schema's parts: itself and everything its $ref, allOf, anyOf and oneOf lead to. */
function flatten(spec, schema, refs) {
  if (!schema || typeof schema !== "object") return [];
  if (schema.$ref) {
    if (refs.has(schema.$ref)) return [];
    refs = new Set(refs).add(schema.$ref);
    return flatten(spec, pointer(spec, schema.$ref), refs);
  }
  return [
    schema,
    ...["allOf", "anyOf", "oneOf"].flatMap((k) => (schema[k] ?? []).flatMap((s) => flatten(spec, s, refs))),
  ];
}
