/**
 * What a customer's code gives, in the email's language and the shop's currency: "10% off your
 * next order", "€10.00 off orders of €50.00 or more". Customer-facing, like built-in-texts.ts.
 */
import type { EmailLanguage } from "./built-in-texts";

export interface DiscountTermsText {
  valueType: "percentage" | "fixed_amount";
  /** Percent (1-100) or an amount in the shop's currency. */
  value: number;
  minimumSubtotal: number | null;
}

/** `{{value}}` is the percent or amount off, `{{minimum}}` the order subtotal it needs. */
const DESCRIPTIONS: Record<EmailLanguage, { anyOrder: string; minimum: string }> = {
  en: {
    anyOrder: "{{value}} off your next order",
    minimum: "{{value}} off orders of {{minimum}} or more",
  },
  ms: {
    anyOrder: "Diskaun {{value}} untuk pesanan anda yang seterusnya",
    minimum: "Diskaun {{value}} untuk pesanan {{minimum}} ke atas",
  },
  tr: {
    anyOrder: "Bir sonraki siparişinizde {{value}} indirim",
    minimum: "{{minimum}} ve üzeri siparişlerde {{value}} indirim",
  },
  te: {
    anyOrder: "మీ తదుపరి ఆర్డర్‌పై {{value}} తగ్గింపు",
    minimum: "{{minimum}} లేదా అంతకంటే ఎక్కువ ఆర్డర్‌లపై {{value}} తగ్గింపు",
  },
  "zh-CN": {
    anyOrder: "下一笔订单享 {{value}} 优惠",
    minimum: "订单满 {{minimum}} 享 {{value}} 优惠",
  },
  fa: {
    anyOrder: "{{value}} تخفیف برای سفارش بعدی شما",
    minimum: "{{value}} تخفیف برای سفارش‌های {{minimum}} یا بیشتر",
  },
};

const percents = new Map<EmailLanguage, Intl.NumberFormat>();

function percent(language: EmailLanguage, value: number): string {
  let format = percents.get(language);
  if (!format) {
    format = new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 2 });
    percents.set(language, format);
  }
  return format.format(value / 100);
}

/** `money` formats an amount in the shop's currency for `language` (the email's formatter). */
export function discountDescription(
  terms: DiscountTermsText,
  language: EmailLanguage,
  money: (amount: number) => string,
): string {
  const texts = DESCRIPTIONS[language];
  const value =
    terms.valueType === "percentage" ? percent(language, terms.value) : money(terms.value);
  return terms.minimumSubtotal === null
    ? texts.anyOrder.replace("{{value}}", value)
    : texts.minimum
        .replace("{{value}}", value)
        .replace("{{minimum}}", money(terms.minimumSubtotal));
}
