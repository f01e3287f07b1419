import { describe, expect, it, vi } from "vitest";
import * as env from "~/lib/env.server";
import {
  unsubscribeToken,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from "./unsubscribe-token.server";

const SHOP = "tea.myshopify.com";
// Beyond 2^53, as real Shopify ids can be.
const CUSTOMER = 9007199254740993n;

describe("unsubscribe tokens", () => {
  it("round-trip the shop and the exact customer id, inside an app URL", () => {
    const url = new URL(unsubscribeUrl(SHOP, CUSTOMER));
    expect(`${url.origin}${url.pathname}`).toBe("https://rekindle.test/email/unsubscribe");
    expect(verifyUnsubscribeToken(url.searchParams.get("token"))).toEqual({
      shopDomain: SHOP,
      customerId: CUSTOMER,
    });
  });

  it("reject a changed payload, a changed or truncated signature, and junk", () => {
    const token = unsubscribeToken(SHOP, CUSTOMER);
    const [payload = "", signature = ""] = token.split(".");
    const otherPayload = Buffer.from(JSON.stringify({ s: SHOP, c: "1" })).toString("base64url");
    const flip = (text: string, index: number) =>
      text.slice(0, index) + (text[index] === "A" ? "B" : "A") + text.slice(index + 1);

    for (const bad of [
      `${otherPayload}.${signature}`,
      `${payload}.${flip(signature, 0)}`,
      // The last character carries spare bits: a different spelling of the same bytes.
      `${payload}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`,
      `${payload}.${signature.slice(0, -2)}`,
      `${flip(payload, 3)}.${signature}`,
      `${payload}.${signature}.extra`,
      payload,
      "",
      null,
      "x".repeat(5000),
    ]) {
      expect(verifyUnsubscribeToken(bad), String(bad).slice(0, 40)).toBeNull();
    }
  });

  it("reject a token signed with another secret", () => {
    const token = unsubscribeToken(SHOP, CUSTOMER);
    const other = env.parseEnv({ ...process.env, SHOPIFY_API_SECRET: "another-secret" });
    const spy = vi.spyOn(env, "getEnv").mockReturnValue(other);
    try {
      expect(verifyUnsubscribeToken(token)).toBeNull();
    } finally {
      spy.mockRestore();
    }
    expect(verifyUnsubscribeToken(token)).not.toBeNull();
  });
});
