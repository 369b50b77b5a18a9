// GET /transactions: the account's transaction list over the sandbox's stored orders, newest first, with
// MultiSafepay's filters and opaque page cursors.
//
// The list is the store's transaction log (store.ts `transactions`): an entry per order and per refund, in the
// order of their keys, taken from the one counter of transaction ids, so that a newer row always has a larger
// key. That is what keeps cursors stable while rows are added: a cursor is a key, and new rows can only appear
// before the first page, never between pages already read. A row is built from its order when listed, so a
// status change or a refund shows at once. `orderRows`/`refundRows` build the same rows by a plain scan.
import type { Transaction, TransactionQuery } from "../types.js";
import { ERROR_CODES } from "../../generated/spec-constants.js";
import { errorAnswer } from "./errors.js";
import { type Answer, json, type SandboxRequest } from "./exchange.js";
import { localTime, type StoredOrder } from "./orders.js";
import type { TransactionEntry } from "./store.js";

export interface TransactionRow {
  /** The row's position: unique, and larger for newer rows. */
  key: number;
  transaction: Transaction;
}

/** The sandbox's one website. */
export const SANDBOX_SITE_ID = 12345;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** An order's payment line. The list reports costs in integer cents where the order has decimal euros. */
export function paymentTransaction({ order, request }: StoredOrder): Transaction {
  const costs = (order.costs ?? []).map((c) => ({
    amount: Math.round((c.amount ?? 0) * 100),
    description: c.description ?? "",
    dst: 0,
  }));
  return {
    transaction_id: order.transaction_id,
    order_id: order.order_id,
    site_id: SANDBOX_SITE_ID,
    type: "payment",
    debit_credit: "C",
    status: order.status,
    financial_status: order.financial_status,
    payment_method: request.gateway,
    amount: order.amount ?? 0,
    net: (order.amount ?? 0) - costs.reduce((sum, c) => sum + c.amount, 0),
    currency: order.currency ?? null,
    costs,
    description: order.description ?? null,
    customer: {
      email: order.customer?.email ?? "",
      first_name: order.customer?.first_name ?? "",
      last_name: order.customer?.last_name ?? "",
      iban: order.payment_details?.account_iban ?? "",
    },
    created: order.created ?? null,
    ...(order.completed ? { completed: order.completed } : {}),
    updated: order.modified ?? null,
    var1: order.var1 ?? "",
    var2: order.var2 ?? "",
    var3: order.var3 ?? "",
  };
}

type Related = NonNullable<StoredOrder["order"]["related_transactions"]>[number];

/** A refund's line, under the refund's own transaction id: money going back (debit). */
export function refundTransaction({ order, request }: StoredOrder, refund: Related): Transaction {
  return {
    transaction_id: refund.transaction_id as number,
    order_id: String(refund.order_id ?? order.order_id),
    site_id: SANDBOX_SITE_ID,
    type: "refund",
    debit_credit: "D",
    status: refund.status ?? null,
    financial_status: refund.status ?? null,
    payment_method: request.gateway,
    amount: refund.amount ?? 0,
    net: refund.amount ?? 0,
    currency: refund.currency ?? order.currency,
    costs: [],
    description: refund.description ?? null,
    created: refund.created ?? null,
    ...(refund.status === "completed" ? { completed: refund.modified ?? null } : {}),
    updated: refund.modified ?? null,
  };
}

/** A payment row per order, as they are now (a plain scan; the sandbox itself lists from the store's index). */
export function orderRows(orders: Iterable<StoredOrder>): TransactionRow[] {
  return [...orders].map((stored) => ({ key: stored.order.transaction_id, transaction: paymentTransaction(stored) }));
}

/** A refund row per refund of these orders, as they are now (a plain scan, as orderRows). */
export function refundRows(orders: Iterable<StoredOrder>): TransactionRow[] {
  const rows: TransactionRow[] = [];
  for (const stored of orders) {
    for (const refund of stored.order.related_transactions ?? []) {
      if (refund.type !== "refund" || typeof refund.transaction_id !== "number") continue;
      rows.push({ key: refund.transaction_id, transaction: refundTransaction(stored, refund) });
    }
  }
  return rows;
}

/**
 * One entry of the store's transaction log (store.ts): what a row is made from, in key order. The row is
 * built when a page is listed, from the order as it is then (its status, its refunds' statuses).
 */
export function entryTransaction(entry: TransactionEntry): Transaction | undefined {
  if (!entry.refund) return paymentTransaction(entry.stored);
  const related = entry.stored.order.related_transactions?.find(
    (r) => r.type === "refund" && r.transaction_id === entry.key,
  );
  return related ? refundTransaction(entry.stored, related) : undefined;
}

type FilterName = Exclude<keyof TransactionQuery, "limit" | "after" | "before">;
type Filter = (t: Transaction, value: string) => boolean;

const same =
  (field: keyof Transaction, caseless = false): Filter =>
  (t, value) => {
    const actual = t[field];
    if (actual === null || actual === undefined) return false;
    return caseless ? String(actual).toUpperCase() === value.toUpperCase() : String(actual) === value;
  };
const from =
  (field: "created" | "completed"): Filter =>
  (t, value) =>
    typeof t[field] === "string" && t[field] >= value;
const until =
  (field: "created" | "completed"): Filter =>
  (t, value) =>
    typeof t[field] === "string" && t[field] < value;

/** Every filter the spec lists: the type makes a new spec parameter fail to compile until it is handled here. */
export const FILTERS: Record<FilterName, Filter> = {
  created_from: from("created"),
  created_until: until("created"),
  completed_from: from("completed"),
  completed_until: until("completed"),
  status: same("status"),
  financial_status: same("financial_status"),
  payment_method: same("payment_method", true),
  currency: same("currency", true),
  site_id: same("site_id"),
  type: same("type"),
};
const TIMESTAMP_FILTERS = new Set<FilterName>(["created_from", "created_until", "completed_from", "completed_until"]);

/** MultiSafepay's three timestamp forms, as comparable local date-times; undefined when malformed. */
export function parseTimestamp(value: string): string | undefined {
  if (/^[0-9]{1,10}$/.test(value)) return localTime(new Date(Number(value) * 1000));
  const match = /^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:T([0-9]{2}:[0-9]{2})(:[0-9]{2})?)?$/.exec(value);
  if (!match) return undefined;
  const normalized = `${match[1]}T${match[2] ?? "00:00"}${match[3] ?? ":00"}`;
  return Number.isNaN(Date.parse(`${normalized}Z`)) ? undefined : normalized;
}

export function encodeCursor(key: number): string {
  return btoa(JSON.stringify({ k: key }))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The key a cursor names; undefined for anything this sandbox did not hand out. */
export function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) return undefined;
  try {
    const { k } = JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))) as { k?: unknown };
    return typeof k === "number" && Number.isSafeInteger(k) && k >= 0 ? k : undefined;
  } catch {
    return undefined;
  }
}

// MultiSafepay documents no code for a bad cursor, limit or timestamp; 1000 is its generic one.
const invalid = (what: string) => errorAnswer(400, ERROR_CODES.UNKNOWN_ERROR, `Invalid ${what}`);

/**
 * Answers `GET /transactions` from the store's log of entries (ascending keys): a page walks from its cursor
 * (found by binary search) and builds only the rows it looks at, so an unfiltered page costs the same at 100
 * stored orders as at 100,000. A filter walks past the rows it refuses, as any scan would.
 */
export function listTransactions(request: SandboxRequest, entries: readonly TransactionEntry[]): Answer {
  const query = request.query;
  const rawLimit = query.get("limit");
  const limit = rawLimit === null ? DEFAULT_LIMIT : /^[0-9]{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) return invalid("limit");

  const filters: [Filter, string][] = [];
  for (const name of Object.keys(FILTERS) as FilterName[]) {
    const raw = query.get(name);
    if (raw === null) continue;
    // The contract takes one value per filter: a repeated one is refused rather than half-applied.
    if (query.getAll(name).length > 1) return invalid(`${name}: give one value`);
    const value = TIMESTAMP_FILTERS.has(name) ? parseTimestamp(raw) : raw;
    if (value === undefined) return invalid(name);
    filters.push([FILTERS[name], value]);
  }

  const after = query.get("after");
  const before = query.get("before");
  if (after !== null && before !== null) return invalid("cursor: send after or before, not both");
  const cursorKey = after ?? before;
  const key = cursorKey === null ? undefined : decodeCursor(cursorKey);
  if (cursorKey !== null && key === undefined) return invalid("cursor");

  const matches = (i: number): Transaction | undefined => {
    const transaction = entryTransaction(entries[i]!);
    return transaction && filters.every(([filter, value]) => filter(transaction, value)) ? transaction : undefined;
  };
  // Newest first: `page` and `keys` run from the newest row of the page to the oldest.
  const page: Transaction[] = [];
  const keys: number[] = [];
  if (before !== null) {
    // The `limit` matching rows just newer than the cursor, nearest first, then put newest first.
    for (let i = firstAbove(entries, key!); i < entries.length && page.length < limit; i++) {
      const transaction = matches(i);
      if (!transaction) continue;
      page.push(transaction);
      keys.push(entries[i]!.key);
    }
    page.reverse();
    keys.reverse();
  } else {
    for (let i = (key === undefined ? entries.length : firstAbove(entries, key - 1)) - 1; i >= 0; i--) {
      const transaction = matches(i);
      if (!transaction) continue;
      page.push(transaction);
      keys.push(entries[i]!.key);
      if (page.length === limit) break;
    }
  }

  const first = keys[0];
  const last = keys.at(-1);
  const cursor: { after?: string; before?: string } = {};
  // "The last page containing data returns an `after` cursor to an empty page" (MultiSafepay docs
  // api/general/pagination.md); that empty page has none.
  if (last !== undefined) cursor.after = encodeCursor(last);
  if (first !== undefined && newerMatch(entries, first, matches)) cursor.before = encodeCursor(first);
  const link = (direction: "after" | "before", value: string) => {
    const next = new URL(request.reached());
    // Never echo a key sent as ?api_key= (a form the sandbox accepts) into a URL others log.
    for (const name of ["after", "before", "api_key"]) next.searchParams.delete(name);
    next.searchParams.set("limit", String(limit));
    next.searchParams.set(direction, value);
    return next.href;
  };
  return json({
    success: true,
    data: page,
    pager: {
      ...(cursor.after ? { after: link("after", cursor.after) } : {}),
      ...(cursor.before ? { before: link("before", cursor.before) } : {}),
      cursor,
      limit,
    },
  });
}

/** The index of the first entry whose key is above `key` (entries.length if none): a binary search. */
function firstAbove(entries: readonly TransactionEntry[], key: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle]!.key > key) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Whether a row newer than `key` matches: the page then has a `before` cursor. */
function newerMatch(
  entries: readonly TransactionEntry[],
  key: number,
  matches: (i: number) => Transaction | undefined,
): boolean {
  for (let i = firstAbove(entries, key); i < entries.length; i++) if (matches(i)) return true;
  return false;
}
