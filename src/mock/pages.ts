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
    .status { font-weight: 600; }
    #message { min-height: 1.5em; color: #555; }
    code { background: #f3f3f3; padding: 0 .25rem; }
  </style>
</head>
<body>
  <h1>KBC sandbox</h1>
  <p>Orders created against <code>/v1/json/orders</code> on this server. Play the shopper: each outcome updates the order
    and notifies its <code>notification_url</code> the way MultiSafepay does.</p>
  <p>A <code>payment_url</code> from this sandbox opens its payment page, where you pick the outcome as the shopper
    would; the buttons below do the same without the browser round trip.</p>
  <p id="message" role="status"></p>
  <table>
    <thead><tr><th>Order</th><th>Gateway</th><th class="amount">Amount</th><th>Status</th><th>Created</th><th>Shopper</th></tr></thead>
    <tbody id="orders"><tr><td colspan="6">No orders yet.</td></tr></tbody>
  </table>
  <script type="module">
    const ACTIONS = [["Pay", "completed"], ["Cancel", "cancelled"], ["Expire", "expired"]];
    const euros = (cents, currency) => new Intl.NumberFormat("nl-BE", { style: "currency", currency: currency || "EUR" }).format(cents / 100);
    const cell = (text, className) => Object.assign(document.createElement("td"), { textContent: text ?? "", className: className ?? "" });

    async function refresh() {
      const orders = await (await fetch("/sandbox/orders")).json();
      const rows = orders.map((order) => {
        const row = document.createElement("tr");
        row.dataset.orderId = order.order_id;
        row.append(cell(order.order_id), cell(order.payment_details?.type), cell(euros(order.amount, order.currency), "amount"),
          cell(\`\${order.status} / \${order.financial_status}\`, "status"), cell(order.created));
        const actions = document.createElement("td");
        if (order.status === "initialized") {
          for (const [label, status] of ACTIONS) {
            const button = Object.assign(document.createElement("button"), { textContent: label });
            button.addEventListener("click", () => act(order.order_id, status));
            actions.append(button);
          }
        }
        row.append(actions);
        return row;
      });
      document.getElementById("orders").replaceChildren(...(rows.length ? rows : [Object.assign(document.createElement("tr"), { innerHTML: '<td colspan="6">No orders yet.</td>' })]));
    }

    async function act(orderId, status) {
      const response = await fetch(\`/sandbox/orders/\${encodeURIComponent(orderId)}/pay\`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status }) });
      const result = await response.json();
      const n = result.notification;
      document.getElementById("message").textContent = result.error ?? \`\${orderId}: \${result.order.status}. \` +
        (n ? \`Notification \${n.method} \${n.acknowledged ? "acknowledged" : "NOT acknowledged"} after \${n.attempts} attempt(s).\` : "No notification_url.");
      await refresh();
    }

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
const euros = (cents: number, currency: string) => new Intl.NumberFormat("nl-BE", { style: "currency", currency }).format(cents / 100);

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
  const buttons = SHOPPER_OUTCOMES.map(([value, label]) => `<button type="submit" name="outcome" value="${value}">${label}</button>`).join("\n      ");
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
  return layout("Payment finished (sandbox)", `<main class="card"><h1>Payment ${escape(order.status)}</h1><p>Order ${escape(order.order_id)} has no URL to return to; you can close this page.</p></main>`);
}
