import { beforeEach, describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { InvalidInputError } from "~/lib/errors";
import {
  listSuppressions,
  removeSuppression,
  suppressAddress,
  suppressionReason,
} from "./suppression.server";
import { unsubscribeCustomer } from "./unsubscribe.server";

const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-20T15:00:00Z");
let shopId = 0;
let otherShopId = 0;

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "tea.myshopify.com" } })).id;
  otherShopId = (await prisma.shop.create({ data: { domain: "other.myshopify.com" } })).id;
  await sql.query(
    `INSERT INTO customer (shop_id, id, email, email_marketing, created_at, shopify_updated_at)
     VALUES ($1, 7, 'Ada@Example.com', 'subscribed', now(), now())`,
    [shopId],
  );
});

describe("a shop's suppression list", () => {
  it("GIVEN an unsubscribe link clicked WHEN the shop looks the address up THEN it is listed as an unsubscribe, until the customer subscribes again in Shopify", async () => {
    // WHEN the customer unsubscribes through the email's link
    await unsubscribeCustomer(sql, { shopId, customerId: 7n }, NOW);
    // THEN the address is listed (lower-cased) with the reason and the time
    expect(await suppressionReason(sql, shopId, "ada@example.com")).toBe("unsubscribe");
    expect((await listSuppressions(sql, shopId)).entries).toEqual([
      {
        email: "ada@example.com",
        reason: "unsubscribe",
        detail: "",
        customerId: "7",
        createdAt: "2026-11-20T15:00:00Z",
      },
    ]);
    // AND another shop's list is its own
    expect(await suppressionReason(sql, otherShopId, "ada@example.com")).toBeNull();
    // WHEN she later subscribes again in Shopify (synced into her consent)
    await sql.query(
      `UPDATE customer SET email_marketing = 'subscribed', email_marketing_updated_at = $2
       WHERE shop_id = $1 AND id = 7`,
      [shopId, "2026-11-25T10:00:00"],
    );
    // THEN her newer word wins over the old unsubscribe
    expect(await suppressionReason(sql, shopId, "ada@example.com")).toBeNull();
  });

  it("GIVEN a bounce and a complaint WHEN the merchant removes one THEN only that one can be emailed again, and the first reason stays for a listed address", async () => {
    expect(
      await suppressAddress(sql, shopId, { email: "bob@example.com", reason: "hard_bounce" }, NOW),
    ).toBe(true);
    expect(
      await suppressAddress(sql, shopId, { email: " Carol@Example.com ", reason: "complaint" }),
    ).toBe(true);
    // Listed again for another reason: the first one stays
    expect(
      await suppressAddress(sql, shopId, { email: "bob@example.com", reason: "complaint" }),
    ).toBe(false);
    const page = await listSuppressions(sql, shopId);
    expect(page.total).toBe(2);
    expect(page.counts).toEqual({ hard_bounce: 1, complaint: 1, unsubscribe: 0 });
    expect((await listSuppressions(sql, shopId, { search: "CAROL" })).entries).toHaveLength(1);
    expect((await listSuppressions(sql, shopId, { search: "%" })).entries).toHaveLength(0);

    expect(await removeSuppression(sql, shopId, "Bob@example.com")).toBe(true);
    expect(await removeSuppression(sql, shopId, "bob@example.com")).toBe(false);
    expect(await suppressionReason(sql, shopId, "bob@example.com")).toBeNull();
    expect(await suppressionReason(sql, shopId, "carol@example.com")).toBe("complaint");
  });

  it("GIVEN bad input WHEN listing or removing THEN a clear error and nothing changes", async () => {
    await expect(
      suppressAddress(sql, shopId, { email: "not an address", reason: "complaint" }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(
      suppressAddress(sql, shopId, {
        email: "dan@example.com",
        reason: "spam" as unknown as "complaint",
      }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(removeSuppression(sql, shopId, "nope")).rejects.toBeInstanceOf(InvalidInputError);
    expect((await listSuppressions(sql, shopId)).total).toBe(0);
  });
});
