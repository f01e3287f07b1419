import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, sharedPath } from "../../../tests/helpers/shared-data";
import { UnusableRecordError } from "./body-reader";
import { parseJsonExact } from "~/lib/parse-json-exact";
import {
  checkoutFromRest,
  customerFromRest,
  orderFromRest,
  productFromRest,
  refundFromRest,
  sumMoney,
} from "./rest-records";

// Shopify's own example bodies: ../shared when present, else the copies kept in the repo.
function sample(file: string): unknown {
  const shared = sharedPath("shopify", "webhooks", file);
  const local = path.join(REPO_ROOT, "tests/fixtures/webhooks", file);
  const chosen = shared ?? (existsSync(local) ? local : undefined);
  if (!chosen) throw new Error(`missing webhook sample ${file}`);
  return parseJsonExact(readFileSync(chosen, "utf8"));
}

describe("REST webhook bodies to records", () => {
  it("maps Shopify's customers/create sample", () => {
    const record = customerFromRest(sample("customers__create.json"));
    expect(record).toMatchObject({
      email: "bob@biller.com",
      countryCode: "CA",
      city: "Ottawa",
      verifiedEmail: true,
    });
    expect(record.tags).toBeUndefined();
    expect(record.emailMarketing).toBeUndefined();
  });

  it("maps Shopify's orders/create sample with its line items", () => {
    const record = orderFromRest(sample("orders__create.json"));
    expect(record.currency).toBe("USD");
    expect(record.lines.length).toBeGreaterThan(0);
    expect(record.tags).toEqual(["tag1", "tag2"]);
    expect(typeof record.id).toBe("bigint");
  });

  it("maps Shopify's refunds/create sample", () => {
    const record = refundFromRest(sample("refunds__create.json"));
    expect(record.lines.length).toBeGreaterThan(0);
    expect(Number(record.amount)).toBeGreaterThan(0);
  });

  it("maps Shopify's products/update and checkouts/create samples", () => {
    expect(productFromRest(sample("products__update.json")).variants.length).toBeGreaterThan(0);
    expect(checkoutFromRest(sample("checkouts__create.json")).token).toBeTruthy();
  });

  it("drops malformed optional fields with a warning naming each, and keeps the record", () => {
    const context = { reportedAt: new Date("2026-01-05T00:00:00Z"), warnings: [] };
    const record = orderFromRest(
      { id: 1, name: "#1", currency: "EURO", total_price: "abc" },
      context,
    );
    expect(record).toMatchObject({ id: 1n, currency: null, totalPrice: "0" });
    expect(record.updatedAt).toEqual(context.reportedAt);
    expect(context.warnings).toEqual(
      expect.arrayContaining([
        {
          field: "currency",
          value: "EURO",
          problem: "The order's currency 'EURO' isn't a currency code",
        },
        {
          field: "total_price",
          value: "abc",
          problem: "The order's total 'abc' isn't an amount we can read",
        },
      ]),
    );
    expect(context.warnings).toHaveLength(2);
  });

  it("keeps the first of two line items with one id, with a warning", () => {
    const context = { reportedAt: new Date("2026-01-05T00:00:00Z"), warnings: [] };
    const record = orderFromRest(
      {
        id: 1,
        line_items: [
          { id: 6, quantity: 2, price: "1.00" },
          { id: 7, quantity: 1, price: "2.00" },
          { id: 6, quantity: 5, price: "9.00" },
        ],
      },
      context,
    );
    expect(record.lines.map((line) => [line.id, line.quantity])).toEqual([
      [6n, 2],
      [7n, 1],
    ]);
    expect(context.warnings).toContainEqual({
      field: "line_items[2].id",
      value: "6",
      problem: "The order's line item 6 appears twice; only the first is kept",
    });
  });

  it("keeps text PostgreSQL cannot store out of the record (NUL, lone surrogates)", () => {
    const record = customerFromRest(
      parseJsonExact(
        '{"id":5,"first_name":"A\\u0000da\\ud800","tags":"v\\u0000ip","updated_at":"2024-01-01T00:00:00Z"}',
      ),
    );
    expect(record).toMatchObject({ firstName: "Ada\ufffd", tags: ["vip"] });
  });

  it("refuses a record whose own id is unusable, saying why in plain words", () => {
    expect(() => customerFromRest({ id: -5, created_at: "yesterday" })).toThrow(
      new UnusableRecordError(
        "The customer's id '-5' isn't a Shopify id Rekindle can store.",
        "id",
        { key: "deadReasons.idUnusable", values: { value: "-5" } },
      ),
    );
    expect(() => customerFromRest({ id: -5 })).toThrow(
      expect.objectContaining({
        reason: { key: "deadReasons.idUnusable", values: { value: "-5" } },
      }),
    );
  });

  it("adds money exactly", () => {
    expect(sumMoney(["0.10", "0.20", "89.99"])).toBe("90.2900");
    expect(sumMoney(["-1.5", "1"])).toBe("-0.5000");
    expect(sumMoney([])).toBe("0.0000");
  });
});
