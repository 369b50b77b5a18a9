// The payment methods the sandbox offers (operations/list-payment-methods.ts, get-payment-method.ts): KBC and CBC with what MultiSafepay documents for them
// (Belgium, euros only), filtered the way MultiSafepay filters.
import type { PaymentMethodInfo } from "../types.js";
import { ERROR_CODES } from "../../generated/spec-constants.js";
import { errorAnswer } from "./errors.js";
import type { Answer } from "./exchange.js";

/** Order amount limits in integer cents; `max: null` is no maximum. */
export interface AmountLimits {
  min?: number;
  max?: number | null;
}

/**
 * MultiSafepay documents no amount limits for KBC/CBC, and its real answers give most methods
 * `{ min: 0, max: null }`; `limits` stands for what a website may have configured.
 */
export function kbcPaymentMethods(limits: AmountLimits = {}): PaymentMethodInfo[] {
  return (["KBC", "CBC"] as const).map((id) => {
    const icon = (size: string, ext: string) =>
      `https://media.multisafepay.com/img/methods/${size}/${id.toLowerCase()}.${ext}`;
    return {
      id,
      name: id,
      type: "payment-method",
      allowed_amount: { min: limits.min ?? 0, max: limits.max ?? null },
      allowed_countries: ["BE"],
      allowed_currencies: ["EUR"],
      preferred_countries: ["BE"],
      icon_urls: { large: icon("3x", "png"), medium: icon("2x", "png"), vector: icon("svg", "svg") },
      brands: [],
      additional_data: {},
      // `qr` in both apps, as the live API sends it: MultiSafepay's PHP SDK refuses a method without
      // `payment_components.qr` (php src/Api/PaymentMethods/PaymentMethod.php; tests/fixture-data/payment-method-*.json).
      apps: {
        fastcheckout: { is_enabled: false, qr: { supported: false } },
        payment_components: { has_fields: false, is_enabled: true, qr: { supported: false } },
      },
      required_customer_data: [],
      shopping_cart_required: false,
      tokenization: { is_enabled: false, models: null },
    };
  });
}

const BOOLEAN = /^(true|false|0|1)$/;

/** The list, or an error envelope for a filter MultiSafepay would refuse. */
export function filteredPaymentMethods(
  query: URLSearchParams,
  methods: PaymentMethodInfo[],
): PaymentMethodInfo[] | Answer {
  const country = query.get("country");
  const currency = query.get("currency");
  const amount = query.get("amount");
  if (country !== null && !/^[A-Z]{2}$/.test(country))
    return errorAnswer(400, ERROR_CODES.INVALID_COUNTRY, "Invalid country code");
  if (currency !== null && !/^[A-Z]{3}$/.test(currency))
    return errorAnswer(400, ERROR_CODES.INVALID_CURRENCY, "Invalid currency");
  if (amount !== null && !(/^[0-9]{1,16}$/.test(amount) && Number(amount) >= 1))
    return errorAnswer(400, ERROR_CODES.INVALID_AMOUNT, "Invalid amount");
  for (const flag of ["include_coupons", "group_cards"]) {
    const value = query.get(flag);
    if (value !== null && !BOOLEAN.test(value)) return errorAnswer(400, ERROR_CODES.UNKNOWN_ERROR, `Invalid ${flag}`);
  }
  // An empty allowed_* list means no restriction, as MultiSafepay documents. KBC and CBC are neither cards
  // nor coupons, so include_coupons and group_cards do not change them.
  const allows = (list: string[] | null | undefined, value: string | null) =>
    value === null || !list?.length || list.includes(value);
  return methods.filter((m) => {
    if (!allows(m.allowed_countries, country) || !allows(m.allowed_currencies, currency)) return false;
    if (amount === null) return true;
    const { min, max } = m.allowed_amount ?? {};
    return Number(amount) >= (min ?? 0) && (max === null || max === undefined || Number(amount) <= max);
  });
}
