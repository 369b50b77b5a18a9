// `checkout_options.validate_cart: true`: MultiSafepay refuses an order whose cart does not add up to `amount`
// with 1027 ("The total order `amount` must be equal to the sum of the items in the shopping cart", docs
// api/general/error-reference.md). How it applies tax and rounds is not documented, so this rule is a guess,
// made tolerant on purpose (a sandbox that refused what MultiSafepay takes would teach the wrong
// integration): each line is unit_price × quantity × (1 + its VAT rate), in euros; the cart's total in cents
// may differ from `amount` by up to half a cent per line, as rounding each line or only the total would.
import type { OrderRequest } from "../types.js";

type Cart = NonNullable<OrderRequest["shopping_cart"]>;
type CheckoutOptions = NonNullable<OrderRequest["checkout_options"]>;

/** Whether MultiSafepay would refuse the order with 1027: validate_cart is set and the cart does not add up. */
export function cartDoesNotAddUp(order: OrderRequest): boolean {
  const items = order.shopping_cart?.items;
  if (order.checkout_options?.validate_cart !== true || !Array.isArray(items) || items.length === 0) return false;
  const country = order.customer?.country;
  let euros = 0;
  for (const item of items)
    euros += (item.unit_price ?? 0) * (item.quantity ?? 0) * (1 + rateOf(item, order.checkout_options, country));
  return Math.abs(euros * 100 - order.amount) > items.length / 2 + 1e-6;
}

/** The item's VAT rate: its `tax_table_selector`'s class (the rule for the shopper's country, else the first), else the default. */
function rateOf(
  item: NonNullable<Cart["items"]>[number],
  options: CheckoutOptions,
  country: string | undefined,
): number {
  const tables = options.tax_tables;
  const named = item.tax_table_selector
    ? tables?.alternate?.find((table) => table.name === item.tax_table_selector)
    : undefined;
  if (named) {
    const rule =
      named.rules.find((r) => r.country && r.country === country) ??
      named.rules.find((r) => !r.country) ??
      named.rules[0];
    return rule?.rate ?? 0;
  }
  return tables?.default?.rate ?? 0;
}
