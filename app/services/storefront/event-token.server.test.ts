import { describe, expect, it } from "vitest";
import { EVENT_TOKEN_MAX_AGE_MS, signEventToken, verifyEventToken } from "./event-token.server";

const SECRET = "test-secret";
const NOW = new Date("2026-11-28T12:00:30Z");
const render = {
  shop: "a.myshopify.com",
  requestId: "req-1",
  productIds: ["20", "30"],
  customerId: null,
};
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe("event tokens", () => {
  it("verify for exactly the render they were issued for", () => {
    const token = signEventToken(SECRET, render, NOW);
    expect(token).toMatch(/^[0-9a-z]+\.[\w-]{22}$/);
    expect(verifyEventToken(SECRET, render, token, later(60_000))).toBe("ok");
    for (const other of [
      { ...render, shop: "b.myshopify.com" },
      { ...render, requestId: "req-2" },
      { ...render, productIds: ["20", "40"] },
      { ...render, productIds: ["30", "20"] },
      { ...render, customerId: 7n },
    ]) {
      expect(verifyEventToken(SECRET, other, token, NOW)).toBe("forged");
    }
    expect(verifyEventToken("other-secret", render, token, NOW)).toBe("forged");
  });

  it("bind the signed-in shopper", () => {
    const token = signEventToken(SECRET, { ...render, customerId: 7n }, NOW);
    expect(verifyEventToken(SECRET, { ...render, customerId: 7n }, token, NOW)).toBe("ok");
    expect(verifyEventToken(SECRET, { ...render, customerId: 8n }, token, NOW)).toBe("forged");
    expect(verifyEventToken(SECRET, render, token, NOW)).toBe("forged");
  });

  it("expire after 24 hours and are not accepted from the future", () => {
    const token = signEventToken(SECRET, render, NOW);
    expect(verifyEventToken(SECRET, render, token, later(EVENT_TOKEN_MAX_AGE_MS - 60_000))).toBe(
      "ok",
    );
    expect(verifyEventToken(SECRET, render, token, later(EVENT_TOKEN_MAX_AGE_MS + 60_000))).toBe(
      "expired",
    );
    const ahead = signEventToken(SECRET, render, later(10 * 60_000));
    expect(verifyEventToken(SECRET, render, ahead, NOW)).toBe("expired");
  });

  it("reject tampered or malformed tokens", () => {
    const token = signEventToken(SECRET, render, NOW);
    const [minute, mac] = token.split(".") as [string, string];
    // The issue time is signed too: moving it forward to dodge expiry breaks the MAC.
    const moved = `${(parseInt(minute, 36) + 1).toString(36)}.${mac}`;
    expect(verifyEventToken(SECRET, render, moved, NOW)).toBe("forged");
    for (const bad of ["", "x", `${minute}.`, `${minute}.${mac}A`, `-1.${mac}`, `${token} `]) {
      expect(verifyEventToken(SECRET, render, bad, NOW)).toBe("malformed");
    }
  });
});
