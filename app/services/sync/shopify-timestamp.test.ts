import { describe, expect, it } from "vitest";
import { parseShopifyTimestamp } from "./shopify-timestamp";

const iso = (value: unknown) => parseShopifyTimestamp(value)?.toISOString() ?? null;

describe("parseShopifyTimestamp", () => {
  it("reads every ISO 8601 / RFC 3339 form Shopify and real stores send", () => {
    expect(iso("2019-01-01T00:00:00Z")).toBe("2019-01-01T00:00:00.000Z");
    expect(iso("2019-01-01 00:00:00.000Z")).toBe("2019-01-01T00:00:00.000Z");
    expect(iso("2021-12-31T19:00:00-05:00")).toBe("2022-01-01T00:00:00.000Z");
    expect(iso("2021-12-31T19:00:00-0500")).toBe("2022-01-01T00:00:00.000Z");
    expect(iso("2024-06-01T12:30:00+05:30")).toBe("2024-06-01T07:00:00.000Z");
    expect(iso("2024-06-01T12:30:00.123456+00:00")).toBe("2024-06-01T12:30:00.123Z");
    expect(iso("2024-06-01t12:30:00,5z")).toBe("2024-06-01T12:30:00.500Z");
    expect(iso("2024-06-01T12:30Z")).toBe("2024-06-01T12:30:00.000Z");
    expect(iso("20240601T123000Z")).toBe("2024-06-01T12:30:00.000Z");
    expect(iso("2024-06-01")).toBe("2024-06-01T00:00:00.000Z");
    expect(iso("2024-06-01T12:30:00")).toBe("2024-06-01T12:30:00.000Z");
  });

  it("treats dates outside 1970–2100 as malformed", () => {
    expect(iso("9999-12-31T23:59:59Z")).toBeNull();
    expect(iso("0001-01-01T00:00:00Z")).toBeNull();
    expect(iso("1969-12-31T23:59:59Z")).toBeNull();
    expect(iso("2101-01-01T00:00:00Z")).toBeNull();
    expect(iso("2100-12-31T23:59:59Z")).toBe("2100-12-31T23:59:59.000Z");
    expect(iso("1970-01-01T00:00:00Z")).toBe("1970-01-01T00:00:00.000Z");
  });

  it("refuses what is not a date", () => {
    for (const value of [
      "yesterday",
      "",
      "2024-02-30T00:00:00Z",
      "2024-13-01",
      "0000-00-00 00:00:00",
      1700000000,
      null,
    ]) {
      expect(iso(value)).toBeNull();
    }
  });
});
