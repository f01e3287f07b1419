import { describe, expect, it } from "vitest";
import { armOf, visitorOf } from "./experiment";

describe("armOf", () => {
  it("splits visitors at the merchant's share, the same visitor always the same way", () => {
    const visitors = Array.from({ length: 4000 }, (_, i) => `visitor-${i}`);
    const arms = visitors.map((v) => armOf("a.myshopify.com", "product_page", v, 20));
    const control = arms.filter((arm) => arm === "bestsellers").length / visitors.length;
    expect(control).toBeGreaterThan(0.17);
    expect(control).toBeLessThan(0.23);
    expect(visitors.map((v) => armOf("a.myshopify.com", "product_page", v, 20))).toEqual(arms);
  });

  it("assigns each placement on its own", () => {
    const visitors = Array.from({ length: 400 }, (_, i) => `visitor-${i}`);
    const product = visitors.map((v) => armOf("a.myshopify.com", "product_page", v, 50));
    const cart = visitors.map((v) => armOf("a.myshopify.com", "cart", v, 50));
    expect(product).not.toEqual(cart);
  });

  it("runs no test at 0% or for a visitor it cannot tell apart", () => {
    expect(armOf("a.myshopify.com", "cart", "visitor-1", 0)).toBeNull();
    expect(armOf("a.myshopify.com", "cart", null, 50)).toBeNull();
  });
});

describe("visitorOf", () => {
  it("is the signed-in customer, else a well-formed browser id", () => {
    expect(visitorOf(7n, "abcdefgh")).toBe("c7");
    expect(visitorOf(null, "abcdefgh-123")).toBe("abcdefgh-123");
    for (const bad of [null, "", "short", "x".repeat(65), "has space12", "<script>1"]) {
      expect(visitorOf(null, bad)).toBeNull();
    }
  });
});
