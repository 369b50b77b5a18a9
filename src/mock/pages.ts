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
    body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #1d1d1f; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
    td.amount { text-align: right; font-variant-numeric: tabular-nums; }
    button { margin: 0 .3rem .2rem 0; font: inherit; }
    :focus-visible { outline: 3px solid #00589f; outline-offset: 2px; }
    tr.refund td { color: #555; font-size: 14px; border-bottom-style: dotted; }
    tr.ignored td { color: #8a4b00; font-size: 14px; border-bottom-style: dotted; }
    tr.history td { font-size: 14px; color: #333; }
    tr.history ol { margin: .3rem 0; padding-left: 1.4rem; }
    tr.history li.failed { color: #a00; }
    input[type=number] { width: 5.5rem; margin-right: .3rem; }
    .status { font-weight: 600; }
    .controls { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: end; margin: 1rem 0; }
    .controls label { display: flex; flex-direction: column; font-size: 14px; }
    #message { min-height: 1.5em; color: #555; }
    code { background: #f3f3f3; padding: 0 .25rem; }
  </style>
</head>
<body>
  <h1>KBC sandbox</h1>
  <p>Orders created against <code>/v1/json/orders</code> on this server. Play the shopper (pay, cancel at the bank,
    let it expire) and the merchant (cancel an unpaid order, refund a paid one, cancel a refund): each change updates
    the order and notifies its <code>notification_url</code> the way MultiSafepay does. Refunds stay
    <em>initialized</em> until MultiSafepay passes them to the bank at midnight; here, until you settle them or move
    the clock past midnight. Each order's history shows every notification delivery and the answer it got.
    This page uses the sandbox's control API (<a href="/sandbox/openapi.json">its OpenAPI document</a>).</p>
  <section class="controls" aria-label="Sandbox">
    <p><button id="settle" type="button">Settle refunds</button>
      <button id="reset" type="button">Reset the sandbox</button></p>
    <p>Clock: <output id="clock" aria-live="polite">…</output><br>
      <button id="plus-hour" type="button">+1 hour</button><button id="plus-day" type="button">+1 day</button><button id="plus-5days" type="button">+5 days</button></p>
  </section>
  <p>A <code>payment_url</code> from this sandbox opens its payment page, where you pick the outcome as the shopper
    would; the buttons below do the same without the browser round trip.</p>
  <form class="controls" id="filters" role="search" aria-label="Filter the orders">
    <label for="status-filter">Status
      <select id="status-filter">
        <option value="">any</option>
        <option>initialized</option><option>completed</option><option>partial_refunded</option><option>refunded</option>
        <option>void</option><option>expired</option><option>declined</option>
      </select></label>
    <label for="text-filter">Search (order id, description, e-mail)
      <input id="text-filter" type="search" autocomplete="off"></label>
  </form>
  <p id="message" role="status"></p>
  <table>
    <caption id="shown" style="text-align:left;color:#555"></caption>
    <thead><tr><th>Order</th><th>Gateway</th><th class="amount">Amount</th><th>Status</th><th>Created</th><th>Shopper</th><th>Merchant</th></tr></thead>
    <tbody id="orders"><tr><td colspan="7">No orders yet.</td></tr></tbody>
  </table>
  <script type="module">
    const ACTIONS = [["Pay", "completed"], ["Cancel", "cancelled"], ["Expire", "expired"]];
    const REFUNDABLE = new Set(["completed", "partial_refunded"]);
    const euros = (cents, currency) => new Intl.NumberFormat("nl-BE", { style: "currency", currency: currency || "EUR" }).format(cents / 100);
    const cell = (text, className) => Object.assign(document.createElement("td"), { textContent: text ?? "", className: className ?? "" });
    // Each control has a key, so that focus survives the table being drawn again.
    const button = (label, key, onClick) => {
      const b = Object.assign(document.createElement("button"), { textContent: label, type: "button" });
      b.dataset.key = key;
      b.addEventListener("click", onClick);
      return b;
    };
    const say = (text) => { document.getElementById("message").textContent = text; };
    const post = async (path, body) => (await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) })).json();
    const id = encodeURIComponent;
    // What was typed in a refund field, and which histories are open, survive the periodic refresh.
    const typed = new Map();
    const open = new Set();
    let orders = [];
    let drawn = "";

    function orderRow(order) {
      const row = document.createElement("tr");
      row.dataset.orderId = order.order_id;
      const refunded = order.amount_refunded ? \` (\${euros(order.amount_refunded, order.currency)} refunded)\` : "";
      row.append(cell(order.order_id), cell(order.payment_details?.type), cell(euros(order.amount, order.currency), "amount"),
        cell(\`\${order.status} / \${order.financial_status}\${refunded}\`, "status"), cell(order.created));
      const shopper = document.createElement("td");
      const merchant = document.createElement("td");
      const key = (what) => \`\${what}:\${order.order_id}\`;
      if (order.status === "initialized") {
        for (const [label, status] of ACTIONS) shopper.append(button(label, key(label), () => pay(order.order_id, status)));
        merchant.append(button("Cancel order", key("cancel"), () => cancelOrder(order.order_id)));
      }
      if (REFUNDABLE.has(order.status) && order.financial_status === "completed") {
        const input = Object.assign(document.createElement("input"), { type: "number", min: "0.01", step: "0.01", placeholder: "all", size: 6, value: typed.get(order.order_id) ?? "" });
        input.dataset.key = key("amount");
        input.setAttribute("aria-label", \`Refund amount for \${order.order_id} in euros\`);
        input.addEventListener("input", () => typed.set(order.order_id, input.value));
        merchant.append(input, button("Refund", key("refund"), () => refund(order.order_id, input.value)));
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
        if (t.status === "initialized") actions.append(button("Cancel refund", \`cancel-refund-\${t.transaction_id}:\${order.order_id}\`, () => cancelRefund(order.order_id, t.transaction_id)));
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

    const answerText = (a) => (a.error ? \`no answer (\${a.error})\` : \`HTTP \${a.status} "\${a.body}"\`);
    function entryText(e) {
      switch (e.type) {
        case "created": return \`created (\${e.status}), by \${e.by}\`;
        case "status": return \`status \${e.from} → \${e.to} (financial \${e.financial_status}\${e.reason ? \`, \${e.reason}\` : ""}), by \${e.by}\`;
        case "refund": return \`refund \${e.refund_id} of \${euros(e.amount, e.currency)}: \${e.status}, by \${e.by}\`;
        case "method_selected": return \`payment method selected, by \${e.by}: expires \${e.expires}\`;
        case "notification":
          if (e.refused) return \`notification \${e.method} \${e.url}: \${e.refused}\`;
          return \`notification \${e.method} \${e.url}: \${e.acknowledged ? "acknowledged" : "NOT acknowledged"} after \${e.attempts} attempt(s); answers: \${e.answers.map(answerText).join(", ")}\`;
        default: return JSON.stringify(e);
      }
    }

    function historyRow(order) {
      const row = document.createElement("tr");
      row.className = "history";
      row.dataset.historyFor = order.order_id;
      const td = cell("");
      td.colSpan = 7;
      const details = document.createElement("details");
      details.open = open.has(order.order_id);
      details.addEventListener("toggle", () => (details.open ? open.add(order.order_id) : open.delete(order.order_id)));
      const summary = document.createElement("summary");
      summary.dataset.key = \`history:\${order.order_id}\`;
      const deliveries = order.history.filter((e) => e.type === "notification").length;
      summary.textContent = \`History of \${order.order_id} (\${order.history.length} events, \${deliveries} notification(s))\`;
      const list = document.createElement("ol");
      for (const entry of order.history) {
        const item = Object.assign(document.createElement("li"), { textContent: \`\${entry.at} \${entryText(entry)}\` });
        if (entry.type === "notification" && !entry.acknowledged) item.className = "failed";
        list.append(item);
      }
      details.append(summary, list);
      td.append(details);
      row.append(td);
      return row;
    }

    function matches(order) {
      const status = document.getElementById("status-filter").value;
      const text = document.getElementById("text-filter").value.trim().toLowerCase();
      if (status && order.status !== status) return false;
      if (!text) return true;
      return [order.order_id, order.description, order.customer?.email, order.var1, order.var2, order.var3]
        .some((v) => typeof v === "string" && v.toLowerCase().includes(text));
    }

    // Drawn again only when something changed, and focus is put back on the same control.
    function draw(force) {
      const shown = orders.filter(matches);
      const key = JSON.stringify([shown, [...open]]);
      if (!force && key === drawn) return;
      drawn = key;
      const focused = document.activeElement?.dataset?.key;
      const rows = shown.flatMap((order) => [orderRow(order), ...ignoredRows(order), ...refundRows(order), historyRow(order)]);
      const empty = Object.assign(document.createElement("tr"), { innerHTML: \`<td colspan="7">\${orders.length ? "No order matches the filter." : "No orders yet."}</td>\` });
      document.getElementById("orders").replaceChildren(...(rows.length ? rows : [empty]));
      document.getElementById("shown").textContent = orders.length ? \`\${shown.length} of \${orders.length} order(s)\` : "";
      // A control that is gone (Pay, once paid) hands focus to its order's history, never to the page's body.
      const find = (key) => document.querySelector(\`[data-key="\${CSS.escape(key)}"]\`);
      if (focused) (find(focused) ?? find(\`history:\${focused.slice(focused.indexOf(":") + 1)}\`))?.focus();
    }

    async function refresh() {
      orders = await (await fetch("/sandbox/orders")).json();
      const clock = await (await fetch("/sandbox/clock")).json();
      document.getElementById("clock").textContent = \`\${clock.local} (Amsterdam)\${clock.frozen ? ", set by you" : ", real time"}\`;
      draw(false);
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

    async function advance(seconds) {
      const change = await post("/sandbox/clock", { advance_seconds: seconds });
      await refresh();
      if (change.error) return say(change.error);
      const parts = [\`Clock: \${change.local}.\`];
      if (change.expired.length) parts.push(\`Expired: \${change.expired.join(", ")}.\`);
      if (change.settled.length) parts.push(\`Settled \${change.settled.length} refund(s) at midnight.\`);
      say(parts.join(" "));
    }
    document.getElementById("plus-hour").addEventListener("click", () => advance(3600));
    document.getElementById("plus-day").addEventListener("click", () => advance(86400));
    document.getElementById("plus-5days").addEventListener("click", () => advance(5 * 86400));

    document.getElementById("settle").addEventListener("click", async () => {
      const { settled } = await post("/sandbox/refunds/settle");
      await refresh();
      say(settled.length ? \`Settled \${settled.length} refund(s): \${settled.map((s) => \`\${s.order.order_id} \${notified(s.notification)}\`).join(" ")}\` : "No initialized refunds to settle.");
    });
    document.getElementById("reset").addEventListener("click", async () => {
      await post("/sandbox/reset");
      typed.clear();
      open.clear();
      await refresh();
      say("The sandbox is empty; its clock follows real time.");
    });
    document.getElementById("status-filter").addEventListener("change", () => draw(true));
    document.getElementById("text-filter").addEventListener("input", () => draw(true));
    document.getElementById("filters").addEventListener("submit", (event) => event.preventDefault());

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

const escapeHtml = (text: unknown) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (cents: number, currency: string, locale: string) =>
  new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);

/** The payment page's words in the languages of KBC's and CBC's shoppers (and German, and English for the rest). */
const WORDS = {
  en: {
    note: "MultiSafepay KBC sandbox: no real bank, no real money.",
    pay: "Pay with",
    title: "payment (sandbox)",
    description: "Description",
    order: "Order",
    method: "Method",
    status: "Status",
    outcomes: { completed: "Completed", cancelled: "Cancelled", expired: "Expired", declined: "Declined" },
    finished: "This payment is finished (status:",
    done: "Payment finished",
    noReturn: "has no URL to return to; you can close this page.",
  },
  nl: {
    note: "MultiSafepay KBC-sandbox: geen echte bank, geen echt geld.",
    pay: "Betalen met",
    title: "betaling (sandbox)",
    description: "Omschrijving",
    order: "Bestelling",
    method: "Betaalmethode",
    status: "Status",
    outcomes: { completed: "Geslaagd", cancelled: "Geannuleerd", expired: "Verlopen", declined: "Geweigerd" },
    finished: "Deze betaling is afgerond (status:",
    done: "Betaling afgerond",
    noReturn: "heeft geen adres om naar terug te keren; u kunt deze pagina sluiten.",
  },
  fr: {
    note: "Sandbox MultiSafepay KBC : pas de vraie banque, pas de vrai argent.",
    pay: "Payer avec",
    title: "paiement (sandbox)",
    description: "Description",
    order: "Commande",
    method: "Moyen de paiement",
    status: "Statut",
    outcomes: { completed: "Réussi", cancelled: "Annulé", expired: "Expiré", declined: "Refusé" },
    finished: "Ce paiement est terminé (statut :",
    done: "Paiement terminé",
    noReturn: "n'a pas d'adresse de retour ; vous pouvez fermer cette page.",
  },
  de: {
    note: "MultiSafepay-KBC-Sandbox: keine echte Bank, kein echtes Geld.",
    pay: "Bezahlen mit",
    title: "Zahlung (Sandbox)",
    description: "Beschreibung",
    order: "Bestellung",
    method: "Zahlungsmethode",
    status: "Status",
    outcomes: { completed: "Erfolgreich", cancelled: "Abgebrochen", expired: "Abgelaufen", declined: "Abgelehnt" },
    finished: "Diese Zahlung ist abgeschlossen (Status:",
    done: "Zahlung abgeschlossen",
    noReturn: "hat keine Adresse für die Rückkehr; Sie können diese Seite schließen.",
  },
} as const;

export type PageLanguage = keyof typeof WORDS;

/** The page's language from the order's `customer.locale` (`nl_BE` → nl, `fr_BE` → fr, `de_DE` → de), else English. */
export function pageLanguage(order: Order): { language: PageLanguage; locale: string } {
  const raw = String(order.customer?.locale ?? "");
  const language = raw.slice(0, 2).toLowerCase();
  const known = Object.hasOwn(WORDS, language) ? (language as PageLanguage) : "en";
  // A locale Intl accepts for the amount (nl-BE, fr-BE, de-DE), or the language's own.
  const tag = /^[a-z]{2}[_-][A-Z]{2}$/i.test(raw) ? raw.replace("_", "-") : known;
  let locale: string = known;
  try {
    locale = known === language ? (Intl.NumberFormat.supportedLocalesOf(tag)[0] ?? known) : "en";
  } catch {
    // a malformed tag: the language alone
  }
  return { language: known, locale };
}

function layout(title: string, body: string, language: PageLanguage = "en"): string {
  return `<!doctype html>
<html lang="${language}">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(title)}</title>
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
  const { language, locale } = pageLanguage(order);
  const words = WORDS[language];
  const buttons = SHOPPER_OUTCOMES.map(
    ([value]) => `<button type="submit" name="outcome" value="${value}">${words.outcomes[value]}</button>`,
  ).join("\n      ");
  return layout(
    `${gateway} ${words.title}`,
    `<main class="card">
  <p class="note">${words.note}</p>
  <h1>${words.pay} ${escapeHtml(gateway)}</h1>
  <p class="amount" data-testid="amount">${escapeHtml(money(Number(order.amount), String(order.currency ?? "EUR"), locale))}</p>
  <dl>
    <dt>${words.description}</dt><dd data-testid="description">${escapeHtml(order.description)}</dd>
    <dt>${words.order}</dt><dd>${escapeHtml(order.order_id)}</dd>
    <dt>${words.method}</dt><dd data-testid="gateway">${escapeHtml(gateway)}</dd>
    <dt>${words.status}</dt><dd data-testid="status">${escapeHtml(order.status)}</dd>
  </dl>
  ${
    open
      ? `<form method="post" action="${escapeHtml(sessionId)}">
      ${buttons}
    </form>`
      : `<p>${words.finished} ${escapeHtml(order.status)}).</p>`
  }
</main>`,
    language,
  );
}

/** Shown after an outcome when the order has no URL to send the shopper back to. */
export function outcomePage(order: Order): string {
  const { language } = pageLanguage(order);
  const words = WORDS[language];
  return layout(
    `${words.done} (sandbox)`,
    `<main class="card"><h1>${words.done}: ${escapeHtml(order.status)}</h1><p>${words.order} ${escapeHtml(order.order_id)} ${words.noReturn}</p></main>`,
    language,
  );
}
