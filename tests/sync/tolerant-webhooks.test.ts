import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { parseEvent } from "~/services/sync/apply-events.server";
import type { InboxEvent } from "~/services/sync/inbox-queue.server";
import { drainInbox } from "~/services/sync/inbox-worker.server";
import { REPO_ROOT } from "../helpers/shared-data";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { enqueueWebhook, inboxStatuses } from "./inbox-helpers";

// Real stores send bodies unlike Shopify's documented examples. Each fixture in
// tests/fixtures/webhooks/variants is one such shape; all must apply, except those whose id or
// customer link is unusable, which are dead-lettered with a reason a merchant can read.

const SHOP = "tolerant.myshopify.com";
const VARIANTS = path.join(REPO_ROOT, "tests/fixtures/webhooks/variants");
const { sql, prisma } = await migratedTestDatabase();
let shopId: number;

/** The fixture's topic and its body exactly as written (ids beyond 2^53 stay exact). */
function variant(name: string) {
  const text = readFileSync(path.join(VARIANTS, `${name}.json`), "utf8");
  const { topic } = JSON.parse(text) as { topic: string };
  const body = text.slice(text.indexOf('"body":') + '"body":'.length, text.lastIndexOf("}"));
  return { topic, body };
}

function warningsOf(name: string) {
  const { topic, body } = variant(name);
  const event: InboxEvent = {
    shopId: "1",
    id: "1",
    partitionDay: "2024-07-01",
    shopDomain: SHOP,
    topic,
    webhookId: name,
    payload: body,
    attempts: 1,
    triggeredAt: new Date("2024-07-01T00:00:00Z"),
    receivedAt: new Date("2024-07-01T00:00:01Z"),
  };
  return parseEvent(event).warnings;
}

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: SHOP, currency: "GBP" } })).id;
});

const key = (id: bigint) => ({ shopId_id: { shopId, id } });

describe("tolerant parsing of webhook bodies", () => {
  it("applies every odd-but-valid shape in one batch and dead-letters only the unusable ones", async () => {
    // GIVEN every variant in the inbox
    const names = readdirSync(VARIANTS)
      .filter((file) => file.endsWith(".json"))
      .map((file) => file.replace(/\.json$/, ""))
      .sort();
    for (const name of names) {
      const { topic, body } = variant(name);
      await enqueueWebhook(SHOP, topic, body);
    }
    // WHEN the worker applies them
    const result = await drainInbox(sql);
    // THEN all but the two unusable ones are applied
    expect(result).toMatchObject({ claimed: names.length, applied: names.length - 2, dead: 2 });
    const dead = (await inboxStatuses()).filter((row) => row.status === "dead");
    expect(dead.map((row) => row.last_error).sort()).toEqual([
      "The order's customer id 'customer-8' isn't a Shopify id Rekindle can store.",
      "The order's id '18446744073709551615' isn't a Shopify id Rekindle can store.",
    ]);
  });

  it("keeps exact 64-bit ids and reads dates with a space, an offset or a fraction", async () => {
    for (const name of ["order-currency-not-a-code", "order-fulfillment-event"]) {
      const { topic, body } = variant(name);
      await enqueueWebhook(SHOP, topic, body);
    }
    await drainInbox(sql);
    const spelledOut = await prisma.order.findUnique({
      where: key(7100000000000000001n),
      include: { lines: true },
    });
    expect(spelledOut).toMatchObject({
      customerId: 7200000000000000001n,
      currency: "GBP",
      createdAt: new Date("2019-01-01T00:00:00Z"),
      shopifyUpdatedAt: new Date("2019-01-01T00:00:05.250Z"),
    });
    expect(spelledOut?.lines[0]?.productId).toBe(7400000000000000001n);
    const fulfilled = await prisma.order.findUnique({ where: key(7100000000000000003n) });
    expect(fulfilled).toMatchObject({
      currency: "USD",
      fulfillmentStatus: "partially_fulfilled",
      processedAt: new Date("2024-03-05T09:15:30.500Z"),
      shopifyUpdatedAt: new Date("2024-03-06T07:00:00.123Z"),
      cancelledAt: null,
      discountCodes: ["WELCOME10"],
    });
    expect(fulfilled?.totalPrice.toString()).toBe("99.9");
  });

  it("treats nulls as absent values and drops malformed optional fields, naming each", async () => {
    for (const name of [
      "order-edit-nulls",
      "customer-placeholder-dates",
      "refund-numbers-and-offsets",
      "checkout-empty-values",
      "product-odd-fields",
    ]) {
      const { topic, body } = variant(name);
      await enqueueWebhook(SHOP, topic, body);
    }
    expect(await drainInbox(sql)).toMatchObject({ applied: 5, dead: 0, failed: 0 });

    const edited = await prisma.order.findUnique({
      where: key(7100000000000000002n),
      include: { lines: true },
    });
    expect(edited).toMatchObject({ customerId: 7200000000000000002n, tags: [], test: false });
    expect(edited?.lines.map((line) => [line.productId, line.quantity])).toEqual([[null, 1]]);

    // A year-9999 created date is unreadable: the customer keeps the updated date instead.
    expect(await prisma.customer.findUnique({ where: key(7200000000000000005n) })).toMatchObject({
      createdAt: new Date("2024-05-01T09:00:00Z"),
      emailMarketing: "subscribed",
      verifiedEmail: true,
    });
    expect(warningsOf("customer-placeholder-dates")).toEqual([
      {
        field: "created_at",
        value: "9999-12-31T23:59:59Z",
        problem: "The customer's created date '9999-12-31T23:59:59Z' isn't a date we can read",
      },
    ]);

    const refund = await prisma.refund.findUnique({ where: key(7700000000000000001n) });
    expect(refund?.amount.toString()).toBe("12.5");
    expect(refund?.createdAt).toEqual(new Date("2024-04-01T14:00:00.123Z"));
    expect(await prisma.refundLine.count({ where: { shopId } })).toBe(1);
    expect(warningsOf("refund-numbers-and-offsets").map((w) => w.field)).toEqual([
      "refund_line_items[1].line_item_id",
      "transactions[1].amount",
    ]);

    expect(await prisma.checkout.findUnique({ where: key(7900000000000000001n) })).toMatchObject({
      currency: "GBP",
      createdAt: new Date("2024-03-05T09:15:30Z"),
    });

    const product = await prisma.product.findUnique({
      where: key(7400000000000000006n),
      include: { variants: true },
    });
    expect(product).toMatchObject({
      status: "active",
      publishedAt: null,
      tags: ["ceramics", "kitchen"],
    });
    expect(product?.variants[0]).toMatchObject({ inventoryQuantity: 5, availableForSale: true });
    expect(warningsOf("product-odd-fields").map((w) => w.field)).toEqual(["published_at"]);
  });
});
