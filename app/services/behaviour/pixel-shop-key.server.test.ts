import { describe, expect, it } from "vitest";
import { isPixelShopKey, pixelShopKey } from "./pixel-shop-key.server";

const SECRET = "app-secret";

describe("pixel shop keys", () => {
  it("accepts a shop's own key, whatever the domain's case", () => {
    const key = pixelShopKey(SECRET, "north-goods.myshopify.com");

    expect(key).toMatch(/^[\w-]{22}$/);
    expect(isPixelShopKey(SECRET, "north-goods.myshopify.com", key)).toBe(true);
    expect(isPixelShopKey(SECRET, "North-Goods.myshopify.com", key)).toBe(true);
  });

  it("refuses another shop's key, another secret's key and malformed keys", () => {
    const key = pixelShopKey(SECRET, "north-goods.myshopify.com");

    expect(isPixelShopKey(SECRET, "south-goods.myshopify.com", key)).toBe(false);
    expect(isPixelShopKey("other-secret", "north-goods.myshopify.com", key)).toBe(false);
    for (const bad of ["", key.slice(1), `${key}=`, 42, null, "!".repeat(22)]) {
      expect(isPixelShopKey(SECRET, "north-goods.myshopify.com", bad)).toBe(false);
    }
  });
});
