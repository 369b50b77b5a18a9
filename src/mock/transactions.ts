// GET /transactions: the account's transaction list over the sandbox's stored orders, newest first, with
// MultiSafepay's filters and opaque page cursors.
//
// Extension point: the list is built from `TransactionRow`s. Orders give one row each (`orderRows`); other
// sources (refunds) add their own rows with a `key` taken from the same counter as the orders' transaction
// ids, so that a newer row always has a larger key. That is what keeps cursors stable while rows are added:
// a cursor is a key, and new rows can only appear before the first page, never between pages already read.
import type { Transaction, TransactionQuery } from "../types.js";
import { ERROR_CODES } from "../../generated/spec-constants.js";
import { errorResponse } from "./errors.js";
import { localTime, type StoredOrder } from "./orders.js";

export interface TransactionRow {
  /** The row's position: unique, and larger for newer rows. */
  key: number;
  transaction: Transaction;
}

/** The sandbox's one website. */
export const SANDBOX_SITE_ID = 12345;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** A payment line per order. The list reports costs in integer cents where the order has decimal euros. */
export function orderRows(orders: Iterable<StoredOrder>): TransactionRow[] {
  return [...orders].map(({ order, request }) => {
    const costs = (order.costs ?? []).map((c) => ({
      amount: Math.round((c.amount ?? 0) * 100),
      description: c.description ?? "",
      dst: 0,
    }));
    const transaction: Transaction = {
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
    return { key: order.transaction_id, transaction };
  });
}

/** A refund line per refund, under the refund's own transaction id: money going back (debit). */
export function refundRows(orders: Iterable<StoredOrder>): TransactionRow[] {
  const rows: TransactionRow[] = [];
  for (const { order, request } of orders) {
    for (const refund of order.related_transactions ?? []) {
      if (refund.type !== "refund" || typeof refund.transaction_id !== "number") continue;
      const transaction: Transaction = {
        transaction_id: refund.transaction_id,
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
      rows.push({ key: refund.transaction_id, transaction });
    }
  }
  return rows;
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
const invalid = (what: string) => errorResponse(400, ERROR_CODES.UNKNOWN_ERROR, `Invalid ${what}`);

/** Answers `GET /transactions` for `url` over `rows`. */
export function listTransactions(url: URL, rows: TransactionRow[]): Response {
  const query = url.searchParams;
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

  const matching = rows
    .filter((r) => filters.every(([filter, value]) => filter(r.transaction, value)))
    .sort((a, b) => b.key - a.key);
  let page: TransactionRow[];
  if (before !== null) {
    const newer = matching.filter((r) => r.key > key!);
    page = newer.slice(Math.max(0, newer.length - limit));
  } else {
    page = matching.filter((r) => key === undefined || r.key < key).slice(0, limit);
  }

  const first = page[0];
  const last = page.at(-1);
  const cursor: { after?: string; before?: string } = {};
  // "The last page containing data returns an `after` cursor to an empty page" (MultiSafepay docs
  // api/general/pagination.md); that empty page has none.
  if (last) cursor.after = encodeCursor(last.key);
  if (first && matching.some((r) => r.key > first.key)) cursor.before = encodeCursor(first.key);
  const link = (direction: "after" | "before", value: string) => {
    const next = new URL(url);
    // Never echo a key sent as ?api_key= (a form the sandbox accepts) into a URL others log.
    for (const name of ["after", "before", "api_key"]) next.searchParams.delete(name);
    next.searchParams.set("limit", String(limit));
    next.searchParams.set(direction, value);
    return next.href;
  };
  return Response.json({
    success: true,
    data: page.map((r) => r.transaction),
    pager: {
      ...(cursor.after ? { after: link("after", cursor.after) } : {}),
      ...(cursor.before ? { before: link("before", cursor.before) } : {}),
      cursor,
      limit,
    },
  });
}
