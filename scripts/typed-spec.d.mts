/** The types-only variant of a bundled spec (scripts/typed-spec.mjs): a new object, `spec` is not changed. */
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document as parsed JSON
export function typedSpec(spec: any): any;
