// Spectral function for the `amount-says-its-unit` rule (spectral/multisafepay.yaml): every amount-like property
// of a `properties` map states its unit first, "Integer cents." or "Decimal euros.", in its own description
// (the words an editor shows on hover: generate.mjs turns the property's description into its JSDoc).
// test/amount-docs.test.ts applies the same two patterns to the built package's types.
const AMOUNT_NAME = /(^|_)(amount|price|total|net|fixed)(_|$)/;
const UNIT_WORDING = /^(Integer cents|Decimal euros)[.,]/;

const types = (schema) => (Array.isArray(schema?.type) ? schema.type : [schema?.type]);

export default function amountUnit(properties, _options, context) {
  if (!properties || typeof properties !== "object") return [];
  const results = [];
  const check = (name, schema, path) => {
    if (typeof schema?.description === "string" && UNIT_WORDING.test(schema.description)) return;
    results.push({
      message: `Amount \`${name}\` does not start its description with "Integer cents." or "Decimal euros.".`,
      path,
    });
  };
  for (const [name, schema] of Object.entries(properties)) {
    if (!AMOUNT_NAME.test(name) || !schema || typeof schema !== "object") continue;
    const kinds = types(schema);
    if (kinds.includes("boolean")) continue;
    // An object of amounts (`allowed_amount: {min, max}`): each of its properties is an amount.
    if (kinds.includes("object") && schema.properties) {
      for (const [inner, innerSchema] of Object.entries(schema.properties))
        check(`${name}.${inner}`, innerSchema, [...context.path, name, "properties", inner]);
      continue;
    }
    check(name, schema, [...context.path, name]);
  }
  return results;
}
