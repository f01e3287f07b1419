import { describe, expect, it } from "vitest";
import { winbackDiscountCode } from "./discount-code";
import { discountExpiry, discountText } from "./discount-text";
import { isHeldOut } from "./holdout";
import { inQuietHours, localHour } from "~/services/send-timing/quiet-hours";
import { discountActionSchema } from "./rule-config";

describe("win-back rule pieces", () => {
  it("gives each customer and trigger occurrence its own stable, unguessable code", () => {
    const target = { ruleId: 7n, customerId: 42n, triggerKey: "lapse:2026-05-01" };
    const code = winbackDiscountCode("secret", "COMEBACK", target);
    expect(code).toMatch(/^COMEBACK-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(winbackDiscountCode("secret", "COMEBACK", target)).toBe(code);
    expect(winbackDiscountCode("secret", "COMEBACK", { ...target, customerId: 43n })).not.toBe(
      code,
    );
    expect(
      winbackDiscountCode("secret", "COMEBACK", { ...target, triggerKey: "lapse:2026-09-01" }),
    ).not.toBe(code);
    // Without the secret the code cannot be reproduced.
    expect(winbackDiscountCode("other", "COMEBACK", target)).not.toBe(code);
  });

  it("holds back about the configured share, always the same customers", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => BigInt(i + 1));
    const held = ids.filter((id) => isHeldOut(3n, id, 10));
    expect(held.length / ids.length).toBeGreaterThan(0.09);
    expect(held.length / ids.length).toBeLessThan(0.11);
    expect(ids.filter((id) => isHeldOut(3n, id, 10))).toEqual(held);
    expect(ids.some((id) => isHeldOut(3n, id, 0))).toBe(false);
    // Another rule draws its own control group.
    const other = ids.filter((id) => isHeldOut(4n, id, 10));
    expect(other.filter((id) => held.includes(id)).length).toBeLessThan(held.length / 5);
  });

  it("knows the quiet hours in the shop's time zone, across midnight", () => {
    const at = new Date("2026-11-28T03:30:00Z"); // 22:30 the day before in New York
    expect(localHour(at, "America/New_York")).toBe(22);
    expect(inQuietHours(at, "America/New_York", { start: 21, end: 8 })).toBe(true);
    expect(inQuietHours(at, "Europe/Berlin", { start: 21, end: 8 })).toBe(true); // 04:30
    expect(inQuietHours(at, "Asia/Tokyo", { start: 21, end: 8 })).toBe(false); // 12:30
    expect(inQuietHours(at, "UTC", { start: 1, end: 5 })).toBe(true);
    expect(inQuietHours(at, "UTC", { start: 5, end: 5 })).toBe(false);
  });

  it("describes the discount in the shop's currency, and expires it a fixed time after choosing", () => {
    const percent = discountActionSchema.parse({
      valueType: "percentage",
      value: 15,
      expiresInDays: 14,
    });
    expect(discountText(percent, "USD")).toBe("15% off your next order");
    const fixed = discountActionSchema.parse({
      valueType: "fixed_amount",
      value: 10,
      expiresInDays: 7,
      minimumSubtotal: 50,
    });
    expect(discountText(fixed, "EUR")).toBe("€10.00 off orders of €50.00 or more");
    expect(discountExpiry(new Date("2026-11-01T00:00:00Z"), fixed).toISOString()).toBe(
      "2026-11-08T00:00:00.000Z",
    );
    expect(
      discountActionSchema.safeParse({ valueType: "percentage", value: 120, expiresInDays: 7 })
        .success,
    ).toBe(false);
  });
});
