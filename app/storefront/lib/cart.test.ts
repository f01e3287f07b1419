import { describe, expect, it } from "vitest";
import { cartAddBody, cartRoot } from "./cart";

describe("cartAddBody", () => {
  it("writes every variant id as a JSON number with all its digits", () => {
    const body = cartAddBody(["1", "9223372036854775807"]);
    expect(body).toBe('{"items":[{"id":1,"quantity":1},{"id":9223372036854775807,"quantity":1}]}');
    expect(JSON.parse(body ?? "")).toHaveProperty("items.length", 2);
  });

  it("refuses ids at or above 2^63, non-digits and an empty list", () => {
    expect(cartAddBody(["9223372036854775808"])).toBeNull();
    expect(cartAddBody(["1", "1,2"])).toBeNull();
    expect(cartAddBody(['1},{"id":2'])).toBeNull();
    expect(cartAddBody([])).toBeNull();
  });
});

describe("cartRoot", () => {
  it("uses the market root the theme exposes, else the shop root", () => {
    expect(cartRoot("/fa/")).toBe("/fa/");
    expect(cartRoot("/fa")).toBe("/fa/");
    expect(cartRoot("/")).toBe("/");
    expect(cartRoot(undefined)).toBe("/");
    expect(cartRoot("https://evil.example/")).toBe("/");
    expect(cartRoot("//evil.example/")).toBe("/");
    expect(cartRoot("//evil/")).toBe("/");
  });
});
