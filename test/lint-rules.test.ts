// The local Spectral rules catch what they are for: each one fires on a spec broken in its way.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { bin, projectRoot } from "./helpers/consumer.js";
import { spec } from "./helpers/spec.js";

async function lint(document: unknown): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "msp-lint-"));
  try {
    const file = join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(document));
    const run = promisify(execFile)(
      bin("spectral"),
      ["lint", file, "--ruleset", join(projectRoot, ".spectral.yaml"), "--format", "text"],
      { cwd: projectRoot },
    );
    return await run.then(
      (r) => r.stdout,
      (e: { stdout?: string }) => e.stdout ?? "",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("spectral/multisafepay.yaml", () => {
  it("passes the real spec and fires on each kind of breakage", async () => {
    const broken = structuredClone(spec);
    const schemas = broken.components.schemas;
    schemas.OrderRequestFields.properties.orderRef = { type: "string", maxLength: 10 }; // camelCase
    schemas.OrderRequestFields.properties.amount = { type: "integer", format: "int64", minimum: 0, maximum: 10 }; // 0 cents
    schemas.Plugin.properties.build = { type: "integer", minimum: 0, maximum: 10 }; // no format
    schemas.Order.properties.amount.description = "The order amount."; // cents or euros?
    schemas.RefundRequest.properties.amount.description = "The amount to refund in **integer cents**."; // not first
    broken.components.securitySchemes.ApiKeyHeader = { type: "apiKey", in: "query", name: "api_key" }; // key in URL
    const create = broken.paths["/orders"].post;
    delete create.requestBody.content["application/json"].examples; // no examples
    create.responses["404"] = {
      description: "inline",
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
    };
    delete broken.paths["/gateways"].get.responses["500"]; // missing a shared error response

    const output = await lint(broken);
    for (const rule of [
      "snake-case-properties",
      "request-amount-integer-cents",
      "integer-format",
      "api-key-in-header-only",
      "operation-has-examples",
      "error-responses-are-shared",
      "operation-has-shared-errors",
      "amount-says-its-unit",
    ]) {
      expect(output, rule).toContain(rule);
    }
    // One report per amount without its unit: Order's, RefundRequest's, and the inline OrderRequestFields one
    // above, which has no description at all.
    expect(output.split("\n").filter((line) => line.includes("amount-says-its-unit"))).toHaveLength(3);
    const clean = await lint(spec);
    for (const rule of [
      "snake-case-properties",
      "request-amount-integer-cents",
      "api-key-in-header-only",
      "operation-has-examples",
      "error-responses-are-shared",
      "operation-has-shared-errors",
      "amount-says-its-unit",
    ]) {
      expect(clean).not.toContain(rule);
    }
  }, 60_000);
});
