import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, sharedPath } from "../../../tests/helpers/shared-data";
import { parseJsonExact } from "./parse-json-exact";
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

  it("rejects a body that would corrupt a row", () => {
    expect(() =>
      orderFromRest({ id: 1, name: "#1", currency: "EURO", total_price: "abc" }),
    ).toThrow();
    expect(() => customerFromRest({ id: -5, created_at: "yesterday" })).toThrow();
  });

  it("adds money exactly", () => {
    expect(sumMoney(["0.10", "0.20", "89.99"])).toBe("90.2900");
    expect(sumMoney(["-1.5", "1"])).toBe("-0.5000");
    expect(sumMoney([])).toBe("0.0000");
  });
});
