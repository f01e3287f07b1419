import { describe, expect, it } from "vitest";
import { nextHourInZone } from "./quiet-hours";

// 08:30 in Kolkata (UTC+05:30, no daylight saving): 03:00 UTC.
const KOLKATA_0830 = new Date("2026-12-04T03:00:00Z");

describe("the next time the shop's clock shows an hour", () => {
  it("GIVEN 08:30 in the shop's zone WHEN 10:00 is asked THEN it is today's 10:00 there", () => {
    expect(nextHourInZone(KOLKATA_0830, 10, "Asia/Kolkata").toISOString()).toBe(
      "2026-12-04T04:30:00.000Z",
    );
  });

  it("GIVEN 08:30 in the shop's zone WHEN 08:31 is asked THEN it is a minute away", () => {
    expect(nextHourInZone(KOLKATA_0830, 8, "Asia/Kolkata", 31).toISOString()).toBe(
      "2026-12-04T03:01:00.000Z",
    );
  });

  it("GIVEN 08:30 in the shop's zone WHEN 08:30 or 08:15 is asked THEN it is tomorrow's", () => {
    expect(nextHourInZone(KOLKATA_0830, 8, "Asia/Kolkata", 30).toISOString()).toBe(
      "2026-12-05T03:00:00.000Z",
    );
    expect(nextHourInZone(KOLKATA_0830, 8, "Asia/Kolkata", 15).toISOString()).toBe(
      "2026-12-05T02:45:00.000Z",
    );
  });
});
