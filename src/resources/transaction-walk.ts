// msp.transactions.iterate's walk across pages, loaded with the first iterate (transactions.ts): the checks of
// each next-page cursor and the guard against a server whose cursors loop. It imports nothing at run time: what
// it needs of the client's modules is handed to it (`Refusals`), because a lazy chunk that imports start modules
// of its own gives them a set of importers no other module has, and a bundler then splits them into one more
// file loaded at start (each gzipped apart: docs/performance.md, round five).
import type { Answered, RequestOptions } from "../pipeline.js";
import type { Transaction, TransactionPage, TransactionQuery } from "../types.js";

/** From transactions.ts: InvalidResponseError for an unsound cursor, and validation.ts's surrogate check. */
export interface Refusals {
  invalid(message: string): Error;
  loneSurrogateAt(value: unknown): string | undefined;
}

/** A walk longer than this is taken to be a server handing out endless cursors (at the largest limit, 100 million rows). */
const MAX_PAGES = 100_000;

/** A longer next-page cursor is refused as invalid_response (MultiSafepay's are short tokens; a URL carries it). */
export const MAX_CURSOR_LENGTH = 4096;

/** How many of the latest cursors a walk remembers exactly (as hashes). */
export const CURSOR_WINDOW = 1024;

/**
 * Tells whether a walk's next cursor came back, in bounded memory however long the walk: the hashes of the
 * latest CURSOR_WINDOW cursors (a short loop is refused at its first repeat), and Brent's cycle detection for a
 * longer loop (one saved cursor, replaced at each power of two: any loop is refused within three times
 * the length of the walk up to its first repeat). Each cursor is kept only as a 53-bit hash, never as its text.
 * `retained` is the number of hashes held, for tests.
 */
export interface CursorGuard {
  /** True when `cursor` was already followed in this walk (or its hash collides with one: about 2^-43 a page). */
  repeats(cursor: string): boolean;
  /** How many hashes are held now (at most the window, plus one). */
  readonly retained: number;
}

export function createCursorGuard(window = CURSOR_WINDOW): CursorGuard {
  const recent = new Set<number>();
  const order: number[] = new Array<number>(window);
  let next = 0;
  let saved: number | undefined;
  let power = 1;
  let steps = 0;
  return {
    repeats(cursor: string): boolean {
      const hash = cursorHash(cursor);
      if (recent.has(hash) || hash === saved) return true;
      if (recent.size >= window) recent.delete(order[next]!);
      recent.add(hash);
      order[next] = hash;
      next = (next + 1) % window;
      if (++steps === power) {
        saved = hash;
        power *= 2;
        steps = 0;
      }
      return false;
    },
    get retained(): number {
      return recent.size + (saved === undefined ? 0 : 1);
    },
  };
}

/** cyrb53: a fast 53-bit string hash (no crypto needed: a server that wants to loop has easier ways). */
function cursorHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Every transaction on every page: `list` page after page, following the cursors while they are sound. */
export async function* walk(
  list: (query: TransactionQuery, options?: RequestOptions) => Promise<Answered<TransactionPage>>,
  query: Omit<TransactionQuery, "after" | "before">,
  options: RequestOptions | undefined,
  { invalid, loneSurrogateAt }: Refusals,
  cursorGuard: () => CursorGuard = createCursorGuard,
): AsyncGenerator<Transaction> {
  const guard = cursorGuard();
  let after: string | undefined;
  for (let pages = 0; ; pages++) {
    const { data: page } = await list(after === undefined ? query : { ...query, after }, options);
    yield* page.data;
    // The pager's rule: follow `cursor.after` until it is missing, null or empty (even past an empty page).
    const next: unknown = page.pager?.cursor?.after;
    if (next === undefined || next === null || next === "") return;
    if (typeof next !== "string") throw invalid("the next-page cursor is not a string");
    if (next.length > MAX_CURSOR_LENGTH)
      throw invalid(`the next-page cursor is longer than ${MAX_CURSOR_LENGTH} characters`);
    // The server's fault, not the caller's: said before the cursor goes into the next query.
    if (loneSurrogateAt(next) !== undefined) throw invalid("the next-page cursor has a lone UTF-16 surrogate");
    if (guard.repeats(next))
      throw invalid(`the transaction cursors loop (cursor ${JSON.stringify(next.slice(0, 40))} came back)`);
    if (pages + 1 >= MAX_PAGES) throw invalid(`more than ${MAX_PAGES} pages of transactions: narrow the query`);
    after = next;
  }
}
