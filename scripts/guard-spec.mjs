// The typed client's guard, derived from the spec: the spec says what MultiSafepay accepts (objects open, as
// MultiSafepay's are); the guard is the same document with every request object closed, so that a misspelt
// field is refused before sending instead of being silently ignored by MultiSafepay, plus the few deliberate
// refusals the spec marks with `x-client-guard` (each with its reason, listed in docs/creating-orders.md).
//
//   x-client-guard:
//     schema: { minimum: 1 }     keywords the guard adds to (or overrides in) this schema
//     open: true                 the guard leaves this object open (MultiSafepay documents it only by example)
//     reason: why                required: said in docs/creating-orders.md's list of deliberate refusals

const PREFIX = "#/components/schemas/";

/** `type` → request schema name, from OrderRequest's discriminator: the one list of order flows. */
export function orderTypes(spec) {
  const { mapping } = spec.components.schemas.OrderRequest.discriminator;
  return Object.fromEntries(Object.entries(mapping).map(([type, ref]) => [type, ref.split("/").pop()]));
}

/** The request body schema of every operation, but OrderRequest (validated per `type`, see orderTypes). */
export function requestBodies(spec) {
  return [...new Set(bodyOperations(spec).map((operation) => operation.schema))].sort();
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export const RETRY_CLASSES = ["read", "create", "money-moving"];

/**
 * Every operation of the spec, in the spec's order: its id, method, path template, summary (the sandbox's
 * --help lists it), path parameters with their schema's rules (length, pattern), query parameters' names, JSON
 * body schema name (`schema`, but for POST /orders, validated per `type`: `body` names the schema for every
 * operation), retry class (`x-retry`, which every operation must carry) and the MultiSafepay error codes its
 * documented error responses show, by status.
 */
export function operations(spec) {
  const resolve = (node, section) => (node?.$ref ? spec.components[section][node.$ref.split("/").pop()] : node);
  const found = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      const operation = item[method];
      const where = `${method.toUpperCase()} ${path}`;
      if (!operation.operationId) throw new Error(`${where}: needs an operationId`);
      const retry = operation["x-retry"];
      if (!RETRY_CLASSES.includes(retry))
        throw new Error(`${where}: x-retry must be one of ${RETRY_CLASSES.join(", ")} (got ${JSON.stringify(retry)})`);
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
        resolve(p, "parameters"),
      );
      const pathParams = parameters
        .filter((p) => p.in === "path")
        .map(({ name, schema = {} }) => ({
          name,
          ...(schema.minLength !== undefined ? { minLength: schema.minLength } : {}),
          ...(schema.maxLength !== undefined ? { maxLength: schema.maxLength } : {}),
          ...(schema.pattern !== undefined ? { pattern: schema.pattern } : {}),
        }));
      const named = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      if (named.join() !== pathParams.map((p) => p.name).join())
        throw new Error(`${where}: path parameters ${pathParams.map((p) => p.name)} do not match the template`);
      const query = parameters.filter((p) => p.in === "query").map((p) => p.name);
      const ref = operation.requestBody?.content?.["application/json"]?.schema?.$ref;
      const body = ref ? ref.split("/").pop() : undefined;
      const schema = body && body !== "OrderRequest" ? body : undefined;
      const errors = {};
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!/^[45]/.test(status)) continue;
        const examples = Object.values(
          resolve(response, "responses")?.content?.["application/json"]?.examples ?? {},
        ).map((e) => resolve(e, "examples"));
        const codes = [...new Set(examples.map((e) => e?.value?.error_code).filter((c) => typeof c === "number"))].sort(
          (a, b) => a - b,
        );
        errors[status] = codes;
      }
      if (typeof operation.summary !== "string") throw new Error(`${where}: needs a summary`);
      found.push({
        id: operation.operationId,
        method: method.toUpperCase(),
        path,
        summary: operation.summary,
        pathParams,
        query,
        ...(body ? { body } : {}),
        ...(schema ? { schema } : {}),
        retry,
        errors,
      });
    }
  }
  return found;
}

/** Every operation with a JSON body but POST /orders: method, path template, schema name. */
export const bodyOperations = (spec) => operations(spec).filter((operation) => operation.schema);

/** The schemas the request validators check: one per order `type`, and every other request body. */
export const requestRoots = (spec) =>
  [...Object.values(orderTypes(spec)), ...requestBodies(spec)].map((schema) => `${PREFIX}${schema}`);

/** Object schemas: the ones whose unknown property names the guard refuses. */
const isObjectSchema = (s) =>
  !!s &&
  typeof s === "object" &&
  (s.properties !== undefined ||
    s.patternProperties !== undefined ||
    [s.type].flat().includes("object") ||
    s.allOf !== undefined);

/**
 * A copy of `spec` whose component schemas are the guard's. Component schemas are closed where they are used
 * (a `$ref` outside `allOf` gets `unevaluatedProperties: false`, which sees the fields of the whole `allOf`
 * chain), never in place, so a schema that is also an `allOf` part of another (CustomerRequest in Delivery)
 * keeps working as a part. Inline objects are closed in place; `roots` (the validators' schemas) too.
 */
export function guardSpec(spec, roots) {
  const copy = structuredClone(spec);
  const schemas = copy.components.schemas;
  const target = (ref) => {
    if (!ref.startsWith(PREFIX)) throw new Error(`${ref}: the guard follows only component schema $refs`);
    let schema = schemas[ref.slice(PREFIX.length)];
    while (schema && Object.keys(schema).length === 1 && schema.$ref)
      schema = schemas[schema.$ref.slice(PREFIX.length)];
    return schema;
  };
  const isOpen = (s) => s?.["x-client-guard"]?.open === true;

  const close = (node, where) => {
    if (isOpen(node) || node.additionalProperties !== undefined || node.unevaluatedProperties !== undefined) return;
    if (node.patternProperties) {
      if (node.allOf || node.$ref)
        throw new Error(`${where}: the guard cannot close patternProperties next to allOf/$ref`);
      node.additionalProperties = false;
    } else if (node.allOf || node.$ref) node.unevaluatedProperties = false;
    else node.additionalProperties = false;
  };

  // `inPlace`: this node may be closed itself (false for component roots, which are closed at their uses).
  const visit = (node, where, inPlace) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) throw new Error(`${where}: a schema cannot be an array`);
    const guard = node["x-client-guard"];
    if (guard !== undefined) {
      if (typeof guard.reason !== "string" || !guard.reason) throw new Error(`${where}: x-client-guard needs a reason`);
      Object.assign(node, guard.schema ?? {});
    }
    if (node.$ref && inPlace && isObjectSchema(target(node.$ref)) && !isOpen(target(node.$ref))) close(node, where);
    else if (inPlace && isObjectSchema(node)) close(node, where);
    for (const [name, sub] of Object.entries(node.properties ?? {})) visit(sub, `${where}/properties/${name}`, true);
    for (const [name, sub] of Object.entries(node.patternProperties ?? {}))
      visit(sub, `${where}/patternProperties/${name}`, true);
    if (node.items) visit(node.items, `${where}/items`, true);
    for (const key of ["anyOf", "oneOf"])
      for (const [i, sub] of (node[key] ?? []).entries()) visit(sub, `${where}/${key}/${i}`, true);
    // allOf parts add fields to this object: closing one would refuse the fields of the others.
    for (const [i, sub] of (node.allOf ?? []).entries()) visit(sub, `${where}/allOf/${i}`, false);
  };

  for (const [name, schema] of Object.entries(schemas)) visit(schema, `${PREFIX}${name}`, false);
  for (const pointer of roots) {
    const schema = target(pointer);
    if (isObjectSchema(schema)) close(schema, pointer);
  }
  return copy;
}

/** Every deliberate refusal the spec marks (`x-client-guard` with a `schema`), as [JSON pointer, reason]. */
export function guardRefusals(spec) {
  const found = [];
  const walk = (node, where) => {
    if (!node || typeof node !== "object") return;
    const guard = node["x-client-guard"];
    if (guard?.schema) found.push([where, guard.reason]);
    for (const [key, value] of Object.entries(node))
      if (key !== "x-client-guard" && key !== "examples") walk(value, `${where}/${key}`);
  };
  walk(spec.components.schemas, PREFIX.slice(0, -1));
  return found;
}
