// The request bodies' checks, loaded when a call first needs them: every resource method is async, so the
// order validators (generated/order-validators.js), the other bodies' (body-validators.js), the schema checker
// and the messages cost nothing at import or construction, and a bundler puts them in chunks of their own. A
// body is still checked before anything is sent: the call awaits its check's module first.
import { ConnectionError } from "./errors.js";

type OrderCheck = typeof import("./order-check.js");
type BodyCheck = typeof import("./body-check.js");

// Once loaded, a module is handed back as it is (no promise): later calls check at once, as before, without
// waiting a turn of the event loop.
let orderCheck: OrderCheck | Promise<OrderCheck> | undefined;
let bodyCheck: BodyCheck | Promise<BodyCheck> | undefined;

/**
 * The order check: the module once it is loaded, else the promise of it. A failed load is a typed error, and
 * the next call tries again.
 */
export function loadOrderCheck(): OrderCheck | Promise<OrderCheck> {
  orderCheck ??= loaded(
    import("./order-check.js"),
    (module) => (orderCheck = module),
    () => (orderCheck = undefined),
  );
  return orderCheck;
}

/** The refund and cancellation checks, as loadOrderCheck. */
export function loadBodyCheck(): BodyCheck | Promise<BodyCheck> {
  bodyCheck ??= loaded(
    import("./body-check.js"),
    (module) => (bodyCheck = module),
    () => (bodyCheck = undefined),
  );
  return bodyCheck;
}

/**
 * A module that did not load (a chunk a browser could not fetch, a file missing from a deployment) rejects
 * the call that needed it with a ConnectionError, before anything is sent; it is forgotten, so the next call
 * loads it again.
 */
export function loaded<M>(
  loading: Promise<M>,
  keep: (module: M) => void,
  forget: () => void,
  what = "request checks",
): Promise<M> {
  return loading.then(
    (module) => {
      keep(module);
      return module;
    },
    (cause: unknown) => {
      forget();
      throw new ConnectionError(
        `Could not load the client's ${what}, so nothing was sent (a missing chunk or file of multisafepay-kbc)`,
        { cause },
      );
    },
  );
}
