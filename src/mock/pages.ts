// The sandbox's HTML: the overview of its orders (/sandbox) and the shopper's payment page that every
// payment_url opens (/sandbox/pay/<session_id>). Plain strings, so they ship inside dist/.
import type { Order } from "../types.js";

export const OVERVIEW_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>MultiSafepay KBC sandbox</title>
  <link rel="icon" href="data:,">
  <style>
    body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d1d1f; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #ddd; }
    td.amount { text-align: right; font-variant-numeric: tabular-nums; }
    button { margin-right: .3rem; }
    tr.refund td { color: #555; font-size: 14px; border-bottom-style: dotted; }
    tr.ignored td { color: #8a4b00; font-size: 14px; border-bottom-style: dotted; }
    input[type=number] { width: 5.5rem; margin-right: .3rem; }
    .status { font-weight: 600; }
    #message { min-height: 1.5em; color: #555; }
    code { background: #f3f3f3; padding: 0 .25rem; }
  </style>
</head>
<body>
  <h1>KBC sandbox</h1>
  <p>Orders created against <code>/v1/json/orders</code> on this server. Play the shopper (pay, cancel at the bank,
    let it expire) and the merchant (cancel an unpaid order, refund a paid one, cancel a refund): each change updates
    the order and notifies its <code>notification_url</code> the way MultiSafepay does. Refunds stay
    <em>initialized</em> until MultiSafepay passes them to the bank at midnight; here, until you settle them.</p>
  <p><button id="settle" type="button">Settle refunds</button></p>
  <p>A <code>payment_url</code> from this sandbox opens its payment page, where you pick the outcome as the shopper
    would; the buttons below do the same without the browser round trip.</p>
  <p id="message" role="status"></p>
  <table>
    <thead><tr><th>Order</th><th>Gateway</th><th class="amount">Amount</th><th>Status</th><th>Created</th><th>Shopper</th><th>Merchant</th></tr></thead>
    <tbody id="orders"><tr><td colspan="7">No orders yet.</td></tr></tbody>
  </table>
  <script type="module">
    const ACTIONS = [["Pay", "completed"], ["Cancel", "cancelled"], ["Expire", "expired"]];
    const REFUNDABLE = new Set(["completed", "partial_refunded"]);
    const euros = (cents, currency) => new Intl.NumberFormat("nl-BE", { style: "currency", currency: currency || "EUR" }).format(cents / 100);
    const cell = (text, className) => Object.assign(document.createElement("td"), { textContent: text ?? "", className: className ?? "" });
    const button = (label, onClick) => {
      const b = Object.assign(document.createElement("button"), { textContent: label, type: "button" });
      b.addEventListener("click", onClick);
      return b;
    };
    const say = (text) => { document.getElementById("message").textContent = text; };
    const post = async (path, body) => (await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) })).json();
    const id = encodeURIComponent;
    // What was typed in a refund field survives the periodic refresh.
    const typed = new Map();

    function orderRow(order) {
      const row = document.createElement("tr");
      row.dataset.orderId = order.order_id;
      const refunded = order.amount_refunded ? \` (\${euros(order.amount_refunded, order.currency)} refunded)\` : "";
      row.append(cell(order.order_id), cell(order.payment_details?.type), cell(euros(order.amount, order.currency), "amount"),
        cell(\`\${order.status} / \${order.financial_status}\${refunded}\`, "status"), cell(order.created));
      const shopper = document.createElement("td");
      const merchant = document.createElement("td");
      if (order.status === "initialized") {
        for (const [label, status] of ACTIONS) shopper.append(button(label, () => pay(order.order_id, status)));
        merchant.append(button("Cancel order", () => cancelOrder(order.order_id)));
      }
      if (REFUNDABLE.has(order.status) && order.financial_status === "completed") {
        const input = Object.assign(document.createElement("input"), { type: "number", min: "0.01", step: "0.01", placeholder: "all", size: 6, value: typed.get(order.order_id) ?? "" });
        input.setAttribute("aria-label", \`Refund amount for \${order.order_id} in euros\`);
        input.addEventListener("input", () => typed.set(order.order_id, input.value));
        merchant.append(input, button("Refund", () => refund(order.order_id, input.value)));
      }
      row.append(shopper, merchant);
      return row;
    }

    function refundRows(order) {
      return (order.related_transactions ?? []).filter((t) => t.type === "refund").map((t) => {
        const row = document.createElement("tr");
        row.className = "refund";
        row.dataset.refundId = String(t.transaction_id);
        row.append(cell(\`↳ refund \${t.transaction_id}\`), cell(""), cell(euros(-t.amount, t.currency), "amount"), cell(t.status, "status"), cell(t.created), cell(""));
        const actions = document.createElement("td");
        if (t.status === "initialized") actions.append(button("Cancel refund", () => cancelRefund(order.order_id, t.transaction_id)));
        row.append(actions);
        return row;
      });
    }

    // What MultiSafepay would have ignored in the order's requests: a misspelt field is lost there too.
    // A notification_url the sandbox may not reach (another host than loopback, without --allow-notify) too.
    function ignoredRows(order) {
      return [...(order.ignored_fields ?? []), ...(order.notification_refused ? [order.notification_refused] : [])].map((line) => {
        const row = document.createElement("tr");
        row.className = "ignored";
        const text = cell(\`⚠ \${line}\`);
        text.colSpan = 7;
        row.append(text);
        return row;
      });
    }

    async function refresh() {
      const orders = await (await fetch("/sandbox/orders")).json();
      const rows = orders.flatMap((order) => [orderRow(order), ...ignoredRows(order), ...refundRows(order)]);
      document.getElementById("orders").replaceChildren(...(rows.length ? rows : [Object.assign(document.createElement("tr"), { innerHTML: '<td colspan="7">No orders yet.</td>' })]));
    }

    const notified = (n) => (!n ? "No notification_url." : n.refused ? \`Notification \${n.method} \${n.refused}.\` : \`Notification \${n.method} \${n.acknowledged ? "acknowledged" : "NOT acknowledged"} after \${n.attempts} attempt(s).\`);

    async function pay(orderId, status) {
      const result = await post(\`/sandbox/orders/\${id(orderId)}/pay\`, { status });
      await refresh();
      say(result.error ?? \`\${orderId}: \${result.order.status}. \${notified(result.notification)}\`);
    }

    /** Shows an API answer (MultiSafepay's error, or what changed) once the table shows its effect. */
    async function answered(result, done) {
      await refresh();
      say(result.success ? done(result.data) : \`Refused: \${result.error_info} (error \${result.error_code}).\`);
    }

    const cancelOrder = async (orderId) => answered(await post(\`/sandbox/orders/\${id(orderId)}/cancel\`), () => \`\${orderId}: cancelled.\`);
    const cancelRefund = async (orderId, refundId) => answered(await post(\`/sandbox/orders/\${id(orderId)}/refunds/\${id(refundId)}/cancel\`), () => \`\${orderId}: refund \${refundId} cancelled.\`);
    async function refund(orderId, value) {
      const amount = value === "" ? undefined : Math.round(Number(value) * 100);
      // 0 would refund everything (MultiSafepay's rule): only an empty field ("all") means a full refund here.
      if (amount !== undefined && !(amount >= 1)) return say("Enter at least 0.01, or leave the field empty to refund what is left.");
      typed.delete(orderId);
      await answered(await post(\`/sandbox/orders/\${id(orderId)}/refunds\`, { amount }), (data) => \`\${orderId}: refund \${data.refund_id} initialized.\`);
    }

    document.getElementById("settle").addEventListener("click", async () => {
      const { settled } = await post("/sandbox/refunds/settle");
      await refresh();
      say(settled.length ? \`Settled \${settled.length} refund(s): \${settled.map((s) => \`\${s.order.order_id} \${notified(s.notification)}\`).join(" ")}\` : "No initialized refunds to settle.");
    });

    refresh();
    setInterval(refresh, 3000);
  </script>
</body>
</html>
`;

export const SHOPPER_OUTCOMES = [
  ["completed", "Completed"],
  ["cancelled", "Cancelled"],
  ["expired", "Expired"],
  ["declined", "Declined"],
] as const;

const escape = (text: unknown) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const euros = (cents: number, currency: string) =>
  new Intl.NumberFormat("nl-BE", { style: "currency", currency }).format(cents / 100);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escape(title)}</title>
  <link rel="icon" href="data:,">
  <style>
    body { font: 16px/1.5 system-ui, sans-serif; margin: 3rem auto; max-width: 32rem; padding: 0 1rem; color: #1d1d1f; }
    .card { border: 1px solid #ddd; border-radius: .5rem; padding: 1.5rem; }
    .amount { font-size: 2rem; font-weight: 600; margin: .25rem 0; }
    dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; }
    dt { color: #666; }
    form { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: 1.25rem; }
    button { font: inherit; padding: .5rem 1rem; border-radius: .35rem; border: 1px solid #999; background: #fff; cursor: pointer; }
    button[value=completed] { background: #00589f; border-color: #00589f; color: #fff; }
    .note { color: #666; font-size: .9rem; }
  </style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The page behind a payment_url: the order, and one button per outcome the shopper can reach at the bank. */
export function shopperPage(order: Order, sessionId: string): string {
  const gateway = String(order.payment_details?.type ?? "KBC");
  const open = order.status === "initialized";
  const buttons = SHOPPER_OUTCOMES.map(
    ([value, label]) => `<button type="submit" name="outcome" value="${value}">${label}</button>`,
  ).join("\n      ");
  return layout(
    `${gateway} payment (sandbox)`,
    `<main class="card">
  <p class="note">MultiSafepay KBC sandbox: no real bank, no real money.</p>
  <h1>Pay with ${escape(gateway)}</h1>
  <p class="amount" data-testid="amount">${escape(euros(Number(order.amount), String(order.currency ?? "EUR")))}</p>
  <dl>
    <dt>Description</dt><dd data-testid="description">${escape(order.description)}</dd>
    <dt>Order</dt><dd>${escape(order.order_id)}</dd>
    <dt>Method</dt><dd data-testid="gateway">${escape(gateway)}</dd>
    <dt>Status</dt><dd data-testid="status">${escape(order.status)}</dd>
  </dl>
  ${
    open
      ? `<form method="post" action="${escape(sessionId)}">
      ${buttons}
    </form>`
      : `<p>This payment is already ${escape(order.status)}.</p>`
  }
</main>`,
  );
}

/** Shown after an outcome when the order has no URL to send the shopper back to. */
export function outcomePage(order: Order): string {
  return layout(
    "Payment finished (sandbox)",
    `<main class="card"><h1>Payment ${escape(order.status)}</h1><p>Order ${escape(order.order_id)} has no URL to return to; you can close this page.</p></main>`,
  );
}
