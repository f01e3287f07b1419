import type { DiscountTerms } from "./rule-config";

/** "15% off your next order" / "€10.00 off orders of €50.00 or more", in the shop's currency. */
export function discountText(discount: DiscountTerms, currency: string, locale = "en"): string {
  const money = (amount: number) =>
    new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount);
  const value = discount.valueType === "percentage" ? `${discount.value}%` : money(discount.value);
  return discount.minimumSubtotal === null
    ? `${value} off your next order`
    : `${value} off orders of ${money(discount.minimumSubtotal)} or more`;
}

/** The discount's last moment: a fixed number of days after the customer was chosen. */
export function discountExpiry(chosenAt: Date, discount: DiscountTerms): Date {
  return new Date(chosenAt.getTime() + discount.expiresInDays * 86_400_000);
}
