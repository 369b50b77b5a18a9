// The oracle for the indexed GET /transactions (src/mock/transactions.ts): the listing as the sandbox made it
// before its store kept an index: a plain scan that builds every row of every order, filters and sorts them
// all, then pages (its logic as it was: errors, filters, cursors, links). The rows come from the same builders
// (orderRows, refundRows); what the index changes is which rows a page holds, and that is what is compared.
import { ERROR_CODES } from "../../generated/spec-constants.js";
import {
  decodeCursor,
  encodeCursor,
  FILTERS,
  orderRows,
  parseTimestamp,
  refundRows,
  type TransactionRow,
} from "../../src/mock/transactions.js";
import type { StoredOrder } from "../../src/mock/orders.js";

type FilterName = keyof typeof FILTERS;
type Filter = (typeof FILTERS)[FilterName];
const TIMESTAMP_FILTERS = new Set<FilterName>(["created_from", "created_until", "completed_from", "completed_until"]);

const invalid = (what: string) => ({
  status: 400,
  body: { success: false, data: {}, error_code: ERROR_CODES.UNKNOWN_ERROR, error_info: `Invalid ${what}` },
});

/** GET /transactions for `url` over every row of `orders`, scanned. */
export function scanTransactions(url: URL, orders: Iterable<StoredOrder>): { status: number; body: unknown } {
  const list = [...orders];
  const rows: TransactionRow[] = [...orderRows(list), ...refundRows(list)];
  const query = url.searchParams;
  const rawLimit = query.get("limit");
  const limit = rawLimit === null ? 100 : /^[0-9]{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN;
  if (!(limit >= 1 && limit <= 1000)) return invalid("limit");

  const filters: [Filter, string][] = [];
  for (const name of Object.keys(FILTERS) as FilterName[]) {
    const raw = query.get(name);
    if (raw === null) continue;
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
  if (last) cursor.after = encodeCursor(last.key);
  if (first && matching.some((r) => r.key > first.key)) cursor.before = encodeCursor(first.key);
  const link = (direction: "after" | "before", value: string) => {
    const next = new URL(url);
    for (const name of ["after", "before", "api_key"]) next.searchParams.delete(name);
    next.searchParams.set("limit", String(limit));
    next.searchParams.set(direction, value);
    return next.href;
  };
  return {
    status: 200,
    body: {
      success: true,
      data: page.map((r) => r.transaction),
      pager: {
        ...(cursor.after ? { after: link("after", cursor.after) } : {}),
        ...(cursor.before ? { before: link("before", cursor.before) } : {}),
        cursor,
        limit,
      },
    },
  };
}
