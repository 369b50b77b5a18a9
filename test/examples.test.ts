// The runnable examples in examples/ run as documented (against the built package and the sandbox).
import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedDocs } from "../scripts/docs.mjs";
import { createSandboxRoutes } from "../scripts/sandbox.mjs";
import { createDocsServer } from "../scripts/start.mjs";
import { projectRoot } from "./helpers/consumer.js";

const run = async (example: string, env: Record<string, string> = {}) =>
  (
    await promisify(execFile)(process.execPath, [join(projectRoot, "examples", example)], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      timeout: 30_000,
    })
  ).stdout;

let server: ReturnType<typeof createDocsServer>;
let base: string;
const routes = createSandboxRoutes();
beforeAll(async () => {
  server = createDocsServer(cachedDocs(), routes);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/json`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
});

describe("examples", () => {
  it("create-kbc-order.mjs creates a redirect and a direct order against the sandbox", async () => {
    const output = await run("create-kbc-order.mjs", { MSP_BASE_URL: base });
    // Both flows' payment_urls open the sandbox's own payment page.
    expect(output).toMatch(/^redirect redirect-\d+: send the shopper to http:\/\/127\.0\.0\.1:\d+\/sandbox\/pay\//m);
    expect(output).toMatch(
      /^direct {3}direct-\d+: initialized, send the shopper to http:\/\/127\.0\.0\.1:\d+\/sandbox\/pay\//m,
    );
    expect(routes.mock.orders.list().map((o) => o.amount)).toEqual([2450, 2450]);
  });

  it("notification-server.mjs verifies the sandbox's notification and answers OK", async () => {
    const output = await run("notification-server.mjs");
    expect(output).toMatch(/notification: order example-\d+ is completed \(completed\)/);
    expect(output).toContain("MultiSafepay's delivery: acknowledged after 1 attempt(s)");
  });

  it("refunds-and-cancellation.mjs refunds part of a paid order, cancels another, and tells the notifications apart", async () => {
    const output = await run("refunds-and-cancellation.mjs");
    expect(output).toMatch(/^notification: paid-\d+ paid \(refunded 0 of 2500 cents\)$/m);
    expect(output).toMatch(/^refund \d+: 1000 of 2500 cents refunded, order partial_refunded$/m);
    expect(output).toMatch(/^notification: paid-\d+ partially_refunded \(refunded 1000 of 2500 cents\)$/m);
    expect(output).toMatch(/^cancelled abandoned-\d+: void$/m);
    expect(output).toMatch(/^notification: abandoned-\d+ cancelled/m);
  });

  it("reconcile.mjs walks the day's completed KBC payments and lists the differences with the books", async () => {
    const output = await run("reconcile.mjs", { MSP_BASE_URL: base });
    expect(output).toMatch(/: 3 completed KBC payment\(s\) at MultiSafepay, 3 difference\(s\)/);
    expect(output).toMatch(/reconcile-\d+-1: completed at MultiSafepay \(1250 cents\), not in our books/);
  });
});
