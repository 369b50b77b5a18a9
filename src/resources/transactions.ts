// msp.transactions: one page, or every transaction across pages (following MultiSafepay's cursors), for
// daily reconciliation. Pages are fetched only as the loop asks for them.
import { readList } from "../envelope.js";
import type { ApiPromise, Internal } from "../answered.js";
import type { Answered, Pipeline, RequestOptions } from "../pipeline.js";
import type { Transaction, TransactionPage, TransactionQuery } from "../types.js";
import { InvalidResponseError } from "../errors.js";
import { checkedQuery, loneSurrogateAt } from "../validation.js";
import { loaded } from "../checks.js";
import type { CursorGuard, Refusals } from "./transaction-walk.js";

type Walk = typeof import("./transaction-walk.js");
const REFUSALS: Refusals = { invalid: (message: string) => new InvalidResponseError(200, message), loneSurrogateAt };
let walkModule: Walk | Promise<Walk> | undefined;

function loadWalk(): Walk | Promise<Walk> {
  walkModule ??= loaded(
    import("./transaction-walk.js"),
    (module) => (walkModule = module),
    () => (walkModule = undefined),
    "transaction walk",
  );
  return walkModule;
}

export interface Transactions {
  /** One page: `{ data, pager }`. Pass `pager.cursor.after` as `after` for the next one. */
  list(query?: TransactionQuery, options?: RequestOptions): ApiPromise<TransactionPage>;
  /** Every transaction on every page, in MultiSafepay's order (newest first). Stops when the loop does. */
  iterate(query?: Omit<TransactionQuery, "after" | "before">, options?: RequestOptions): AsyncIterable<Transaction>;
}

/** `cursorGuard` is a test seam (the walk's loop detector); the client always uses createCursorGuard. */
export function transactionsResource(pipeline: Pipeline, cursorGuard?: () => CursorGuard): Internal<Transactions> {
  async function list(query: TransactionQuery = {}, options?: RequestOptions): Promise<Answered<TransactionPage>> {
    checkedQuery("listTransactions", query);
    const sent = await pipeline.call("listTransactions", { query }, options);
    return sent.read((answer): TransactionPage => {
      const { data, envelope } = readList(answer, "transaction list");
      const pager = envelope.pager;
      return {
        data: data as Transaction[],
        ...(isObject(pager) ? { pager: pager as NonNullable<TransactionPage["pager"]> } : {}),
      };
    });
  }

  // The walk (its cursor checks and loop guard) loads with the first iterate: a generator's body runs only at
  // the loop's first step, so loading it there changes nothing a caller can see.
  async function* iterate(
    query: Omit<TransactionQuery, "after" | "before"> = {},
    options?: RequestOptions,
  ): AsyncGenerator<Transaction> {
    const module = loadWalk();
    const { walk } = module instanceof Promise ? await module : module;
    yield* walk(list, query, options, REFUSALS, cursorGuard);
  }

  return { list, iterate };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
