import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./token-buckets";

describe("token buckets", () => {
  it("lets a key spend its burst, then its rate, and says how long to wait", () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 10, perSecond: 2, maxKeys: 100 }, () => now);
    expect(buckets.secondsUntil("a", 10)).toBe(0);
    buckets.spend("a", 10);
    expect(buckets.secondsUntil("a", 1)).toBe(1);
    expect(buckets.secondsUntil("a", 5)).toBe(3);
    // Another key has its own bucket.
    expect(buckets.secondsUntil("b", 10)).toBe(0);
    now = 2_500;
    expect(buckets.secondsUntil("a", 5)).toBe(0);
    expect(buckets.secondsUntil("a", 6)).toBe(1);
    // A cost above the burst needs a full bucket.
    now = 60_000;
    expect(buckets.secondsUntil("a", 50)).toBe(0);
  });

  it("keeps at most maxKeys buckets, forgetting the longest untouched first", () => {
    let now = 0;
    const buckets = new TokenBuckets({ burst: 10, perSecond: 1, maxKeys: 100 }, () => now);
    buckets.spend("early", 10);
    for (let key = 0; key < 1_000; key++) {
      now += 1;
      buckets.spend(`key-${key}`, 1);
    }
    expect(buckets.size).toBeLessThanOrEqual(100);
    // Forgotten, so it starts full again.
    expect(buckets.secondsUntil("early", 10)).toBe(0);
  });
});
