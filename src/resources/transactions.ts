// msp.transactions: one page, or every transaction across pages (following MultiSafepay's cursors), for
// daily reconciliation. Pages are fetched only as the loop asks for them.
import { InvalidResponseError } from "../errors.js";
import { readEnvelope } from "../envelope.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import type { Transaction, TransactionPage, TransactionQuery } from "../types.js";

export interface Transactions {
  /** One page: `{ data, pager }`. Pass `pager.cursor.after` as `after` for the next one. */
  list(query?: TransactionQuery, options?: RequestOptions): Promise<TransactionPage>;
  /** Every transaction on every page, in MultiSafepay's order (newest first). Stops when the loop does. */
  iterate(query?: Omit<TransactionQuery, "after" | "before">, options?: RequestOptions): AsyncIterable<Transaction>;
}

/** Past this many pages the cursors are taken to be going round: 1000 pages of the largest limit is a million rows. */
const MAX_PAGES = 1000;

export function transactionsResource(pipeline: Pipeline): Transactions {
  async function list(query: TransactionQuery = {}, options?: RequestOptions): Promise<TransactionPage> {
    const { answer } = await pipeline.call({ method: "GET", path: "/transactions", params: { query } }, options);
    const { data, envelope } = readEnvelope(answer);
    if (!Array.isArray(data)) throw new InvalidResponseError(answer.status, "the transaction list is not an array");
    const pager = envelope.pager;
    return { data: data as Transaction[], ...(isObject(pager) ? { pager: pager as TransactionPage["pager"] } : {}) };
  }

  async function* iterate(query: Omit<TransactionQuery, "after" | "before"> = {}, options?: RequestOptions): AsyncGenerator<Transaction> {
    const seen = new Set<string>();
    let after: string | undefined;
    for (let pages = 0; ; pages++) {
      const page = await list(after === undefined ? query : { ...query, after }, options);
      yield* page.data;
      const next = page.pager?.cursor?.after;
      if (typeof next !== "string" || next === "" || page.data.length === 0) return;
      if (seen.has(next) || pages + 1 >= MAX_PAGES) throw new InvalidResponseError(200, `the transaction cursors loop (cursor ${JSON.stringify(next.slice(0, 40))} came back)`);
      seen.add(next);
      after = next;
    }
  }

  return { list, iterate };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
