// msp.transactions: one page, or every transaction across pages (following MultiSafepay's cursors), for
// daily reconciliation. Pages are fetched only as the loop asks for them.
import { InvalidResponseError } from "../errors.js";
import { readList } from "../envelope.js";
import type { Pipeline, RequestOptions } from "../pipeline.js";
import type { Transaction, TransactionPage, TransactionQuery } from "../types.js";
import { checkedQuery } from "../validation.js";

export interface Transactions {
  /** One page: `{ data, pager }`. Pass `pager.cursor.after` as `after` for the next one. */
  list(query?: TransactionQuery, options?: RequestOptions): Promise<TransactionPage>;
  /** Every transaction on every page, in MultiSafepay's order (newest first). Stops when the loop does. */
  iterate(query?: Omit<TransactionQuery, "after" | "before">, options?: RequestOptions): AsyncIterable<Transaction>;
}

/** A walk longer than this is taken to be a server handing out endless cursors (at the largest limit, 100 million rows). */
const MAX_PAGES = 100_000;

export function transactionsResource(pipeline: Pipeline): Transactions {
  async function list(query: TransactionQuery = {}, options?: RequestOptions): Promise<TransactionPage> {
    checkedQuery("GET", "/transactions", query);
    const { answer } = await pipeline.call({ method: "GET", path: "/transactions", params: { query } }, options);
    const { data, envelope } = readList(answer, "transaction list");
    const pager = envelope.pager;
    return { data: data as Transaction[], ...(isObject(pager) ? { pager: pager as TransactionPage["pager"] } : {}) };
  }

  async function* iterate(query: Omit<TransactionQuery, "after" | "before"> = {}, options?: RequestOptions): AsyncGenerator<Transaction> {
    const seen = new Set<string>();
    let after: string | undefined;
    for (let pages = 0; ; pages++) {
      const page = await list(after === undefined ? query : { ...query, after }, options);
      yield* page.data;
      // The pager's rule: follow `cursor.after` until it is missing, null or empty (even past an empty page).
      const next: unknown = page.pager?.cursor?.after;
      if (next === undefined || next === null || next === "") return;
      if (typeof next !== "string") throw new InvalidResponseError(200, "the next-page cursor is not a string");
      if (seen.has(next)) throw new InvalidResponseError(200, `the transaction cursors loop (cursor ${JSON.stringify(next.slice(0, 40))} came back)`);
      if (pages + 1 >= MAX_PAGES) throw new InvalidResponseError(200, `more than ${MAX_PAGES} pages of transactions: narrow the query`);
      seen.add(next);
      after = next;
    }
  }

  return { list, iterate };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
