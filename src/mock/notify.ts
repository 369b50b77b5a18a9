// Notification delivery, as MultiSafepay does it: to the order's notification_url (POST signed, or GET),
// retried until acknowledged with "OK", after the API's answer for API calls (notifyLater). One per sandbox.
import { signNotification } from "../webhooks.js";
import type { NotificationAnswer } from "./history.js";
import { LOOPBACK_NAMES, notifyAllowed } from "./hosts.js";
import type { StoredOrder } from "./orders.js";
import { phpJson } from "./php-json.js";
import type { NotificationDelivery, SandboxOptions } from "./sandbox.js";

type FetchLike = (request: Request) => Promise<Response>;

export type Notifier = ReturnType<typeof createNotifier>;

/** Told of every delivery (refused ones too), with each attempt's answer: the order's history keeps them. */
export type DeliveryListener = (
  stored: StoredOrder,
  delivery: NotificationDelivery,
  answers: NotificationAnswer[],
) => void;

export function createNotifier(options: SandboxOptions, onDelivery: DeliveryListener = () => {}) {
  const deliveries = new Set<Promise<unknown>>();

  /**
   * A notification for an API call (a refund, a cancellation) goes out after the answer, as MultiSafepay's do:
   * a merchant whose one process is busy waiting for that answer must not deadlock the sandbox.
   */
  function notifyLater(stored: StoredOrder): void {
    // A delivery that fails in the sandbox's own code is a failed delivery, never an unhandled rejection.
    const delivery = notify(stored).catch(() => null);
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery));
  }

  /** Why the sandbox will not deliver to `target`, or null when it may. */
  function notificationRefusal(target: string): string | null {
    const allowed = options.allowNotify ?? "any";
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return "notification_url is not a URL";
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return `notification_url must be http or https, not ${url.protocol.slice(0, -1)}`;
    if (allowed === "any" || notifyAllowed(url.hostname, allowed)) return null;
    return `not delivered: the sandbox delivers notifications only to loopback (${LOOPBACK_NAMES})${allowed.length ? ` and ${allowed.join(", ")}` : ""}; to deliver to ${url.hostname}, start it with --allow-notify ${url.hostname} (or MSP_SANDBOX_ALLOW_NOTIFY=${url.hostname})`;
  }

  async function notify(stored: StoredOrder): Promise<NotificationDelivery | null> {
    const target = stored.request.payment_options?.notification_url;
    if (!target) return null;
    const method = stored.request.payment_options?.notification_method ?? "GET";
    const refused = notificationRefusal(target);
    if (refused) {
      const delivery: NotificationDelivery = { url: target, method, attempts: 0, acknowledged: false, refused };
      onDelivery(stored, delivery, []);
      return delivery;
    }
    // The state at the time of the event: later changes get notifications of their own. Written as
    // MultiSafepay's PHP backend writes it (php-json.ts), so re-serializing before verifying fails here too.
    const body = phpJson(stored.order);
    const fetch = options.fetch ?? ((r: Request) => globalThis.fetch(r));
    const retries = options.notificationRetries ?? 3;
    let url = target;
    const answers: NotificationAnswer[] = [];
    const done = (delivery: NotificationDelivery) => {
      onDelivery(stored, delivery, answers);
      return delivery;
    };
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      // Every delivery is freshly stamped and signed, as MultiSafepay's retries are. The stamp is real time, not
      // the sandbox's clock: the merchant checks it against its own clock (toleranceSeconds), which a test that
      // moves the sandbox's clock does not move.
      const timestamp = Math.floor(Date.now() / 1000);
      url = `${target}${target.includes("?") ? "&" : "?"}transactionid=${encodeURIComponent(stored.order.order_id)}&timestamp=${timestamp}`;
      const answer = await deliver(fetch, url, method, body, stored.apiKey, timestamp);
      answers.push(answer);
      if (acknowledges(answer)) return done({ url, method, attempts: attempt, acknowledged: true });
      if (attempt <= retries && options.notificationRetryDelayMs)
        await new Promise((r) => setTimeout(r, options.notificationRetryDelayMs));
    }
    return done({ url, method, attempts: retries + 1, acknowledged: false });
  }

  // MultiSafepay's rule: HTTP 200 with "OK" in the first 100 characters of the body.
  const acknowledges = (answer: NotificationAnswer) => answer.status === 200 && Boolean(answer.body?.includes("OK"));

  async function deliver(
    fetch: FetchLike,
    url: string,
    method: "POST" | "GET",
    body: string,
    apiKey: string,
    timestamp: number,
  ): Promise<NotificationAnswer> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // An endpoint that never answers counts as a failed delivery, even when its fetch ignores the signal.
    const timeoutMs = options.notificationTimeoutMs ?? 10_000;
    const timedOut = new Promise<NotificationAnswer>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve({ error: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
    });
    const attempt = async (): Promise<NotificationAnswer> => {
      const headers =
        method === "POST"
          ? { "content-type": "application/json", auth: await signNotification({ body, apiKey, timestamp }) }
          : undefined;
      // With a host list, a redirect is not followed: it could lead anywhere (a 3xx is then not acknowledged).
      const redirect = options.allowNotify === undefined || options.allowNotify === "any" ? "follow" : "manual";
      const response = await fetch(
        new Request(url, {
          method,
          ...(method === "POST" ? { body } : {}),
          headers,
          signal: controller.signal,
          redirect,
        }),
      );
      return { status: response.status, body: (await response.text()).slice(0, 100) };
    };
    try {
      return await Promise.race([attempt(), timedOut]);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    notify,
    notifyLater,
    notificationRefusal,
    /** Resolves once every notification sent after an API call has been delivered or given up. */
    delivered: async (): Promise<void> => {
      while (deliveries.size) await Promise.allSettled([...deliveries]);
    },
  };
}
