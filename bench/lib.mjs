// Shared by the bench's rows (bench/rows/*.mjs): the request every client sends, the answer it gets, and the
// timing helpers. Each row measures its contenders side by side in the same process and the same run.
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
export const CALLS = Number(process.env.BENCH_CALLS ?? 200);
// In-process calls are ~100× cheaper: more of them per round, so timer resolution and GC even out.
export const IN_PROCESS_CALLS = CALLS * 20;
export const API_KEY = "bench-key-1234567890";
export const order = {
  type: "redirect",
  order_id: "bench-1",
  gateway: "KBC",
  currency: "EUR",
  amount: 1000,
  description: "Benchmark order",
  payment_options: {
    notification_url: "https://shop.example/notify",
    notification_method: "POST",
    redirect_url: "https://shop.example/ok",
    cancel_url: "https://shop.example/ko",
  },
  customer: { locale: "nl_BE", ip_address: "203.0.113.7", email: "shopper@example.be" },
};
export const answer = JSON.stringify({
  success: true,
  data: {
    order_id: "bench-1",
    payment_url: "https://testpayv2.multisafepay.com/connect/abc/?lang=nl_BE",
    session_id: "abc",
  },
});

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs every contender `calls` times per round, contenders interleaved, and returns median µs per call. */
export async function interleaved(contenders, calls = CALLS) {
  const samples = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const fn of Object.values(contenders)) for (let i = 0; i < calls; i++) await fn(); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) await fn();
      samples[name].push(Number(process.hrtime.bigint() - start) / 1000 / calls);
    }
  }
  const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  // Each round's samples too (not enumerable, so the medians print and serialize alone): see roundRatio.
  return Object.defineProperty(medians, "rounds", { value: samples });
}

/**
 * The median over rounds of `a / b` within each round: on a machine whose load changes from one moment to the
 * next, two contenders measured in the same round saw the same load, which a ratio of two medians forgets.
 */
export function roundRatio(result, a, b) {
  const { rounds } = result;
  return median(rounds[a].map((x, i) => x / rounds[b][i]));
}

export function perSecond(fn, ms = 500) {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) for (let i = 0; i < 100; i++, n++) fn();
  return n / (ms / 1000);
}

export async function perSecondAsync(fn, ms = 500) {
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) for (let i = 0; i < 20; i++, n++) await fn();
  return n / (ms / 1000);
}

export const fmt = (n, digits = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ratio = (a, b) => `${fmt(a / b, 2)}×`;
