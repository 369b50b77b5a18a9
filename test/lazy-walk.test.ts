// transactions.iterate's walk loads at the loop's first step (src/resources/transaction-walk.ts): a walk that
// cannot load fails that step with a ConnectionError before anything is sent, and one page still reads.
import { describe, expect, it, vi } from "vitest";
import { ConnectionError, createMultiSafepay } from "../src/index.js";
import { API_KEY } from "./helpers/orders.js";

const loads = vi.hoisted(() => ({ count: 0 }));
// As a chunk a browser could not fetch.
vi.mock(import("../src/resources/transaction-walk.js"), async () => {
  loads.count++;
  throw new Error("chunk transaction-walk could not be fetched");
});

const page = { success: true, data: [{ transaction_id: 1 }], pager: { cursor: { after: "" } } };

describe("the transaction walk, loaded on first use", () => {
  it("is not loaded by iterate() itself; a walk that cannot load fails the first step, sending nothing", async () => {
    const sent: string[] = [];
    const msp = createMultiSafepay({
      apiKey: API_KEY,
      environment: "test",
      fetch: async (request) => (sent.push(new URL(request.url).pathname), Response.json(page)),
    });
    const walk = msp.transactions.iterate({ limit: 10 });
    expect(loads.count).toBe(0);
    for (let attempt = 0; attempt < 2; attempt++) {
      const failed = await msp.transactions
        .iterate()
        [Symbol.asyncIterator]()
        .next()
        .catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(ConnectionError);
      expect((failed as Error).message).toMatch(/transaction walk, so nothing was sent/);
    }
    await expect(walk[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(ConnectionError);
    expect(sent).toEqual([]);
    await expect(msp.transactions.list()).resolves.toMatchObject({ data: [{ transaction_id: 1 }] });
    expect(loads.count).toBeGreaterThanOrEqual(1);
  });
});
