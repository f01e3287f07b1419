import { describe, expect, it } from "vitest";
import { isDatabaseId } from "./shopify-id";

describe("isDatabaseId", () => {
  it("accepts positive ids up to 2^63 - 1", () => {
    for (const id of ["1", "42", "9007199254740993", "9223372036854775807"]) {
      expect(isDatabaseId(id), id).toBe(true);
    }
  });

  it("rejects 2^63 and above, zero, signs, padding and non-digits", () => {
    for (const id of [
      "9223372036854775808",
      "18446744073709551616",
      "0",
      "-1",
      "+1",
      "01",
      " 1",
      "1e3",
      "",
    ]) {
      expect(isDatabaseId(id), id).toBe(false);
    }
  });
});
