import { describe, expect, it } from "vitest";
import {
  EVENT_TOKEN_MAX_AGE_MS,
  signEventToken,
  verifyEventToken,
  type ServedClaims,
  type ServedRender,
} from "./event-token.server";

const SECRET = "test-secret";
const NOW = new Date("2026-11-28T12:00:30Z");
const render: ServedRender = {
  shop: "a.myshopify.com",
  requestId: "req-1",
  productIds: ["20", "30"],
  customerId: null,
};
const claims: ServedClaims = {
  placement: "product_page",
  method: "personalized",
  arm: "ours",
  visitor: "v-123",
};
const later = (ms: number) => new Date(NOW.getTime() + ms);
const check = (
  r: typeof render | (typeof render & { customerId: bigint }),
  token: string,
  at = NOW,
) => verifyEventToken(SECRET, r, token, at).check;

describe("event tokens", () => {
  it("verify for exactly the render they were issued for, and say what served it", () => {
    const token = signEventToken(SECRET, render, claims, NOW);
    expect(token).toMatch(/^[0-9a-z]+\.[\w-]+\.[\w-]{22}$/);
    expect(verifyEventToken(SECRET, render, token, later(60_000))).toEqual({ check: "ok", claims });
    for (const other of [
      { ...render, shop: "b.myshopify.com" },
      { ...render, requestId: "req-2" },
      { ...render, productIds: ["20", "40"] },
      { ...render, productIds: ["30", "20"] },
      { ...render, customerId: 7n },
    ]) {
      expect(check(other, token)).toBe("forged");
    }
    expect(verifyEventToken("other-secret", render, token, NOW).check).toBe("forged");
  });

  it("cannot be moved to another placement, method, test arm or visitor", () => {
    const token = signEventToken(SECRET, render, claims, NOW);
    const [minute, , mac] = token.split(".") as [string, string, string];
    for (const moved of [
      { ...claims, arm: "bestsellers" },
      { ...claims, placement: "cart" },
      { ...claims, method: "bestsellers" },
      { ...claims, visitor: "v-999" },
    ]) {
      const claimed = signEventToken(SECRET, render, moved, NOW).split(".")[1];
      expect(check(render, `${minute}.${claimed}.${mac}`)).toBe("forged");
    }
  });

  it("bind the signed-in shopper", () => {
    const token = signEventToken(SECRET, { ...render, customerId: 7n }, claims, NOW);
    expect(check({ ...render, customerId: 7n }, token)).toBe("ok");
    expect(check({ ...render, customerId: 8n }, token)).toBe("forged");
    expect(check(render, token)).toBe("forged");
  });

  it("expire after 24 hours and are not accepted from the future", () => {
    const token = signEventToken(SECRET, render, claims, NOW);
    expect(check(render, token, later(EVENT_TOKEN_MAX_AGE_MS - 60_000))).toBe("ok");
    expect(check(render, token, later(EVENT_TOKEN_MAX_AGE_MS + 60_000))).toBe("expired");
    const ahead = signEventToken(SECRET, render, claims, later(10 * 60_000));
    expect(check(render, ahead)).toBe("expired");
  });

  it("reject tampered or malformed tokens", () => {
    const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const token = signEventToken(SECRET, render, claims, NOW);
    const [minute, encoded, mac] = token.split(".") as [string, string, string];
    // The issue time is signed too: moving it forward to dodge expiry breaks the MAC.
    const moved = `${(parseInt(minute, 36) + 1).toString(36)}.${encoded}.${mac}`;
    expect(check(render, moved)).toBe("forged");
    for (const bad of [
      "",
      "x",
      `${minute}.${mac}`,
      `${minute}.${encoded}.`,
      `${minute}.${encoded}.${mac}A`,
      `-1.${encoded}.${mac}`,
      `${token} `,
      // The last character holds 2 bits of the MAC (its low 4 are 0): another spelling of them.
      `${minute}.${encoded}.${mac.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(mac.slice(-1)) + 1]}`,
    ]) {
      expect(check(render, bad)).toBe("malformed");
    }
  });
});
