// The request URLs of the resource methods, built as openapi-fetch builds them (its default path serializer,
// its default query serializer and createFinalURL; test/url.test.ts checks every one against openapi-fetch's
// own on random templates and values) without importing openapi-fetch: its module then loads only with
// `msp.api` (api-client.ts), in Node and in a code-split bundle alike, which keeps a module in one chunk.

type Params = Record<string, unknown>;

const PLACEHOLDER = /\{[^{}]+\}/g;
const JOINERS: Record<string, string> = { simple: ",", label: ".", matrix: ";" };

/** `name=value`, the value percent-encoded; nothing for undefined and null. */
function primitive(name: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "object")
    throw new Error(
      "Deeply-nested arrays/objects aren\u2019t supported. Provide your own `querySerializer()` to handle these.",
    );
  return `${name}=${encodeURIComponent(value as string)}`;
}

function arrayParam(name: string, value: unknown[], style: string, explode: boolean): string {
  if (!explode) {
    const final = value.map((v) => encodeURIComponent(v as string)).join(",");
    return style === "simple" ? final : style === "label" ? `.${final}` : `;${name}=${final}`;
  }
  const joiner = JOINERS[style] ?? "&";
  const values = value.map((v) =>
    style === "simple" || style === "label" ? encodeURIComponent(v as string) : primitive(name, v),
  );
  return style === "label" || style === "matrix" ? `${joiner}${values.join(joiner)}` : values.join(joiner);
}

function objectParam(name: string, value: Params, style: string, explode: boolean): string {
  if (style !== "deepObject" && !explode) {
    const values: string[] = [];
    for (const k in value) values.push(k, encodeURIComponent(value[k] as string));
    const final = values.join(",");
    return style === "label" ? `.${final}` : style === "matrix" ? `;${name}=${final}` : final;
  }
  const joiner = JOINERS[style] ?? "&";
  const values: string[] = [];
  for (const k in value) values.push(primitive(style === "deepObject" ? `${name}[${k}]` : k, value[k]));
  const final = values.join(joiner);
  return style === "label" || style === "matrix" ? `${joiner}${final}` : final;
}

/** Fills a template's `{name}` (and `{name*}`, `{.name}`, `{;name}`) placeholders, as openapi-fetch does. */
export function defaultPathSerializer(pathname: string, pathParams: Params | undefined): string {
  let next = pathname;
  for (const match of pathname.match(PLACEHOLDER) ?? []) {
    let name = match.slice(1, -1);
    const explode = name.endsWith("*");
    if (explode) name = name.slice(0, -1);
    const style = name.startsWith(".") ? "label" : name.startsWith(";") ? "matrix" : "simple";
    if (style !== "simple") name = name.slice(1);
    const value = pathParams?.[name];
    if (value === undefined || value === null) continue;
    let filled: string;
    if (Array.isArray(value)) filled = arrayParam(name, value, style, explode);
    else if (typeof value === "object") filled = objectParam(name, value as Params, style, explode);
    else if (style === "matrix") filled = `;${primitive(name, value)}`;
    else filled = `${style === "label" ? "." : ""}${encodeURIComponent(value as string)}`;
    // A string replacement, as openapi-fetch's: the same `$` patterns (only in unencoded object keys) apply.
    next = next.replace(match, filled);
  }
  return next;
}

/** openapi-fetch's default query serializer: arrays as form with explode, objects as deepObject. */
export function createQuerySerializer(): (query: Params | undefined) => string {
  return (query) => {
    const search: string[] = [];
    if (query && typeof query === "object") {
      for (const name in query) {
        const value = query[name];
        if (value === undefined || value === null) continue;
        if (Array.isArray(value)) {
          if (value.length) search.push(arrayParam(name, value, "form", true));
        } else if (typeof value === "object") search.push(objectParam(name, value as Params, "deepObject", true));
        else search.push(primitive(name, value));
      }
    }
    return search.join("&");
  };
}

export function createFinalURL(
  pathname: string,
  options: {
    baseUrl: string;
    params: { path?: Params; query?: Params };
    querySerializer: (query: Params) => string;
    pathSerializer: (pathname: string, params: Params) => string;
  },
): string {
  let url = `${options.baseUrl}${pathname}`;
  if (options.params.path) url = options.pathSerializer(url, options.params.path);
  let search = options.querySerializer(options.params.query ?? {});
  if (search.startsWith("?")) search = search.slice(1);
  return search ? `${url}?${search}` : url;
}
