import { describe, expect, it } from "vitest";
import {
  WEEK_SLOTS,
  bestSlot,
  chooseSendTime,
  hourOfWeek,
  shopProfile,
  shrunkProfile,
  slotCounts,
} from "./hour-of-week";

const QUIET = { start: 21, end: 8 };
const NONE = { start: 0, end: 0 };
/** A profile with all its weight on one slot. */
const peakAt = (slot: number) => shrunkProfile(slotCountsAt(slot, 5), shopProfile([]), 0);
const slotCountsAt = (slot: number, n: number) =>
  Array.from({ length: WEEK_SLOTS }, (_, s) => (s === slot ? n : 0));

describe("hours of the week", () => {
  it("numbers the week's hours from Monday 00:00 on the shop's clock", () => {
    const mondayNoonUtc = new Date("2026-11-30T12:00:00Z");
    expect(hourOfWeek(mondayNoonUtc, "UTC")).toBe(12);
    expect(hourOfWeek(mondayNoonUtc, "America/New_York")).toBe(7);
    expect(hourOfWeek(new Date("2026-11-30T02:00:00Z"), "America/New_York")).toBe(6 * 24 + 21);
    expect(hourOfWeek(mondayNoonUtc, "Asia/Kolkata")).toBe(17);
  });

  it("shrinks a customer with few orders toward the shop, and trusts one with many", () => {
    const shop = shopProfile(slotCountsAt(50, 100));
    const oneOrder = slotCounts([new Date("2026-11-30T10:00:00Z")], "UTC"); // slot 10
    expect(bestSlot(shrunkProfile(oneOrder, shop, 0), 0)).toBe(10);
    expect(bestSlot(shrunkProfile(oneOrder, shop, 5), 0)).toBe(50);
    const manyOrders = slotCountsAt(10, 20);
    expect(bestSlot(shrunkProfile(manyOrders, shop, 5), 0)).toBe(10);
    const sum = shrunkProfile(oneOrder, shop, 5).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 9);
  });
});

describe("choosing when a due email goes out", () => {
  const base = { timeZone: "UTC", maxDelayHours: 24 };

  it("sends at once without a profile outside quiet hours, and at their end inside them", () => {
    const noon = new Date("2026-12-01T12:10:00Z");
    expect(chooseSendTime({ ...base, now: noon, profile: null, quiet: QUIET })).toEqual(noon);
    const late = new Date("2026-12-01T22:10:00Z");
    expect(chooseSendTime({ ...base, now: late, profile: null, quiet: QUIET })).toEqual(
      new Date("2026-12-02T08:00:00Z"),
    );
  });

  it("waits for the customer's best hour within the bound, never earlier than due", () => {
    const now = new Date("2026-12-01T09:30:00Z"); // Tuesday 09:30, slot 33
    const at = chooseSendTime({ ...base, now, profile: peakAt(24 + 15), quiet: NONE });
    expect(at).toEqual(new Date("2026-12-01T15:00:00Z"));
    // Best hour more than the bound away: the best hour within reach (its window edge).
    const bounded = chooseSendTime({
      ...base,
      now,
      profile: peakAt(24 + 15),
      quiet: NONE,
      maxDelayHours: 3,
    });
    expect(bounded.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect(bounded.getTime()).toBeLessThanOrEqual(now.getTime() + 3 * 3_600_000);
    // The best hour now: at once.
    expect(chooseSendTime({ ...base, now, profile: peakAt(24 + 9), quiet: NONE })).toEqual(now);
  });

  it("never picks a best hour inside quiet hours", () => {
    const now = new Date("2026-12-01T12:00:00Z");
    const at = chooseSendTime({ ...base, now, profile: peakAt(24 + 21), quiet: QUIET });
    // Its best hour is 21:00, quiet: the open hour next to it.
    expect(at).toEqual(new Date("2026-12-01T20:00:00Z"));
  });

  it("starts hours on the shop's clock in a half-hour zone", () => {
    const now = new Date("2026-12-01T04:10:00Z"); // 09:40 in Kolkata
    const at = chooseSendTime({
      now,
      timeZone: "Asia/Kolkata",
      profile: peakAt(24 + 12),
      quiet: NONE,
      maxDelayHours: 24,
    });
    expect(at).toEqual(new Date("2026-12-01T06:30:00Z")); // 12:00 in Kolkata
  });
});
