// Reconciles one day's completed KBC payments with your own books, page by page.
//
//   npm start                                              # in another terminal: docs + sandbox on :4010
//   MSP_BASE_URL=http://127.0.0.1:4010/v1/json node examples/reconcile.mjs
//   MSP_API_KEY=<your key> MSP_ENVIRONMENT=live RECONCILE_DAY=2026-11-24 node examples/reconcile.mjs
//
// Against the sandbox it first makes a day to reconcile: it creates a few KBC orders and plays the shopper
// for them (the sandbox's /sandbox/orders/{id}/pay), then reconciles today instead of yesterday.
import { createMultiSafepay } from "multisafepay-kbc";

const { MSP_API_KEY = "sandbox-key", MSP_ENVIRONMENT, MSP_BASE_URL, RECONCILE_DAY } = process.env;
const msp = createMultiSafepay(
  MSP_BASE_URL
    ? { apiKey: MSP_API_KEY, baseUrl: MSP_BASE_URL }
    : { apiKey: MSP_API_KEY, environment: MSP_ENVIRONMENT ?? "test" },
);

// MultiSafepay's timestamps carry no zone; it is in Amsterdam (and so is the sandbox): count days there.
const amsterdamDay = (ms) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(ms);
const DAY = 86_400_000;
const dayBefore = (day) => new Date(Date.parse(day) - DAY).toISOString().slice(0, 10);

/** Sandbox only: three paid KBC orders, one cancelled; returns what "our books" say was paid. */
async function seedSandbox() {
  const run = Date.now();
  const books = new Map();
  for (const [i, outcome] of ["completed", "completed", "cancelled", "completed"].entries()) {
    const order_id = `reconcile-${run}-${i}`;
    const amount = 1000 + i * 250;
    await msp.orders.create({
      type: "redirect",
      order_id,
      gateway: "KBC",
      currency: "EUR",
      amount,
      description: `Order ${i}`,
      customer: { locale: "nl_BE" },
    });
    const origin = new URL(MSP_BASE_URL).origin;
    const paid = await fetch(`${origin}/sandbox/orders/${encodeURIComponent(order_id)}/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: outcome }),
    });
    if (!paid.ok) throw new Error(`the sandbox did not pay ${order_id}: ${await paid.text()}`);
    // Our books think order 3 was paid €10 more than it was, and know nothing of order 1.
    if (outcome === "completed" && i !== 1) books.set(order_id, i === 3 ? amount + 1000 : amount);
  }
  books.set(`reconcile-${run}-missing`, 500);
  return books;
}

/** Your own books: order_id → amount in integer cents. Here, a JSON file named by BOOKS, or nothing. */
async function loadBooks() {
  if (!process.env.BOOKS) return new Map();
  const { readFile } = await import("node:fs/promises");
  return new Map(Object.entries(JSON.parse(await readFile(process.env.BOOKS, "utf8"))));
}

try {
  const books = MSP_BASE_URL ? await seedSandbox() : await loadBooks();
  const today = amsterdamDay(Date.now());
  const day = RECONCILE_DAY ?? (MSP_BASE_URL ? today : dayBefore(today));
  const next = new Date(Date.parse(day) + DAY).toISOString().slice(0, 10);

  const problems = [];
  let seen = 0;
  for await (const t of msp.transactions.iterate({
    payment_method: "KBC",
    type: "payment",
    financial_status: "completed",
    completed_from: day,
    completed_until: next,
    limit: 1000,
  })) {
    seen++;
    const expected = books.get(t.order_id);
    if (expected === undefined)
      problems.push(`${t.order_id}: completed at MultiSafepay (${t.amount} cents), not in our books`);
    else if (expected !== t.amount)
      problems.push(`${t.order_id}: ${t.amount} cents at MultiSafepay, ${expected} in our books`);
    books.delete(t.order_id);
  }
  for (const [orderId, amount] of books)
    problems.push(`${orderId}: ${amount} cents in our books, not completed at MultiSafepay`);

  console.log(`${day}: ${seen} completed KBC payment(s) at MultiSafepay, ${problems.length} difference(s)`);
  for (const line of problems) console.log(`  ${line}`);
} catch (error) {
  console.error(`${error.code ?? "error"}: ${error.message}`);
  process.exitCode = 1;
}
