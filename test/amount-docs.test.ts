// Every amount says on hover whether it is integer cents or decimal euros, in the types the package ships:
// each amount-like property of the spec (the names and the wording of the Spectral rule amount-says-its-unit,
// spectral/functions/amountUnit.js) is found in the built dist/index.d.ts, and the JSDoc TypeScript attaches to
// that property (what an editor shows) starts with its unit. The bundler moves one-line comments onto the line
// before, after the previous member; this reads them as TypeScript does, not as text.
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./helpers/consumer.js";
import { spec } from "./helpers/spec.js";

const AMOUNT_NAME = /(^|_)(amount|price|total|net|fixed)(_|$)/;
const UNIT_WORDING = /^(Integer cents|Decimal euros)[.,]/;

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; allOf?: Schema[] };

/** [schema name, property path] of every amount in the spec's component schemas, as the Spectral rule finds them. */
function amountsOf(schemas: Record<string, Schema>): [string, string[]][] {
  const found: [string, string[]][] = [];
  const walk = (name: string, schema: Schema | undefined, path: string[]) => {
    if (!schema || typeof schema !== "object") return;
    for (const part of schema.allOf ?? []) walk(name, part, path);
    if (schema.items) walk(name, schema.items, path);
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      const types = [property.type].flat();
      if (AMOUNT_NAME.test(key) && !types.includes("boolean")) {
        if (types.includes("object") && property.properties)
          for (const inner of Object.keys(property.properties)) found.push([name, [...path, key, inner]]);
        else found.push([name, [...path, key]]);
      }
      walk(name, property, [...path, key]);
    }
  };
  for (const [name, schema] of Object.entries(schemas)) walk(name, schema, []);
  return found;
}

const dts = join(projectRoot, "dist/index.d.ts");

describe("amount units on hover, in dist/index.d.ts", () => {
  const amounts = amountsOf(spec.components.schemas);

  it("finds the spec's amounts", () => {
    const listed = amounts.map(([name, path]) => `${name}.${path.join(".")}`);
    // A sample that must be among them (the walk reaches allOf parts, items and nested objects).
    for (const amount of [
      "Order.amount",
      "Order.amount_refunded",
      "Order.order_total",
      "Cost.amount",
      "Transaction.net",
      "OrderRequestFields.amount",
      "RefundRequest.amount",
      "ShoppingCartItem.unit_price",
      "Affiliate.split_payments.fixed",
      "PaymentMethodInfo.allowed_amount.min",
    ])
      expect(listed).toContain(amount);
  });

  // test/global-setup.ts builds dist/ first when it is stale (this suite names dist/index.d.ts).
  it("each one's JSDoc starts with its unit", () => {
    const program = ts.createProgram([dts], {
      strict: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
    });
    const checker = program.getTypeChecker();
    const file = program.getSourceFile(dts);
    const moduleSymbol = file && checker.getSymbolAtLocation(file);
    if (!moduleSymbol) throw new Error(`no module in ${dts}`);
    const exported = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === "components");
    if (!exported) throw new Error("dist/index.d.ts exports no `components`");
    const components = checker.getDeclaredTypeOfSymbol(
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported,
    );
    const typeOf = (symbol: ts.Symbol) => checker.getNonNullableType(checker.getTypeOfSymbol(symbol));
    const schemasSymbol = checker.getPropertyOfType(components, "schemas");
    if (!schemasSymbol) throw new Error("`components` has no `schemas`");
    const schemas = typeOf(schemasSymbol);

    /** The property at `path` below `type`, through arrays and nullable unions. */
    const propertyAt = (type: ts.Type, path: string[]): ts.Symbol | undefined => {
      let current: ts.Type = type;
      let symbol: ts.Symbol | undefined;
      for (const key of path) {
        if (checker.isArrayType(current)) current = checker.getTypeArguments(current as ts.TypeReference)[0] ?? current;
        symbol = checker.getPropertyOfType(current, key);
        if (!symbol) return undefined;
        current = typeOf(symbol);
        if (checker.isArrayType(current)) current = checker.getTypeArguments(current as ts.TypeReference)[0] ?? current;
      }
      return symbol;
    };

    const wrong: string[] = [];
    for (const [name, path] of amounts) {
      const schema = checker.getPropertyOfType(schemas, name);
      const property = schema && propertyAt(typeOf(schema), path);
      const where = `${name}.${path.join(".")}`;
      if (!property) {
        wrong.push(`${where}: not in dist/index.d.ts`);
        continue;
      }
      // openapi-typescript writes the description as an `@description` tag; a plain comment counts as well.
      const tag = property.getJsDocTags(checker).find((t) => t.name === "description");
      const text = tag
        ? ts.displayPartsToString(tag.text)
        : ts.displayPartsToString(property.getDocumentationComment(checker));
      if (!UNIT_WORDING.test(text.trim())) wrong.push(`${where}: ${JSON.stringify(text.slice(0, 60))}`);
    }
    expect(wrong).toEqual([]);
    expect(amounts.length).toBeGreaterThan(15);
  });
});
