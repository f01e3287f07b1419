import { beforeEach, describe, expect, it } from "vitest";
import { loadBulkJsonl } from "~/services/sync/bulk-jsonl-loader.server";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { bulkCustomer, bulkLineItem, bulkOrder, linesOf } from "./bulk-jsonl-fixtures";

const { sql, prisma } = await migratedTestDatabase();
let shopId: number;

const customer = (id: number) => bulkCustomer(id);
const order = (id: number, customerId: number | null) => bulkOrder(id, customerId);
const lineItem = (id: number, orderId: number) => bulkLineItem(id, orderId);
const product = {
  id: "gid://shopify/Product/900",
  title: "Tea",
  handle: "tea",
  status: "ACTIVE",
  productType: "Drinks",
  vendor: "Rekindle",
  tags: [],
  isGiftCard: false,
  totalInventory: 12,
  tracksInventory: true,
  createdAt: "2024-01-01T00:00:00Z",
  updatedAt: "2024-06-01T00:00:00Z",
  publishedAt: "2024-01-02T00:00:00Z",
  featuredMedia: {
    preview: {
      image: { url: "https://cdn.example/tea.png", altText: null, width: 10, height: 10 },
    },
  },
};
const variant = {
  id: "gid://shopify/ProductVariant/901",
  title: "Default",
  sku: "TEA",
  price: "10.00",
  compareAtPrice: null,
  inventoryQuantity: 12,
  availableForSale: true,
  __parentId: "gid://shopify/Product/900",
};

const jsonl = [
  customer(1),
  customer(2),
  product,
  variant,
  order(10, 1),
  lineItem(101, 10),
  order(11, null),
  lineItem(111, 11),
  lineItem(102, 10),
].map((object) => JSON.stringify(object));

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "bulk.myshopify.com" } })).id;
});

describe("bulk JSONL loader", () => {
  it("loads every object, joining children to parents across batch boundaries", async () => {
    const progress: number[] = [];
    const result = await loadBulkJsonl(sql, shopId, linesOf(jsonl), {
      batchSize: 2,
      onProgress: ({ linesCommitted }) => {
        progress.push(linesCommitted);
      },
    });
    expect(result.linesCommitted).toBe(9);
    expect(progress).toEqual([2, 4, 6, 8, 9]);
    expect(await prisma.customer.count({ where: { shopId } })).toBe(2);
    const order10 = await prisma.order.findUniqueOrThrow({
      where: { shopId_id: { shopId, id: 10n } },
      include: { lines: { orderBy: { id: "asc" } } },
    });
    expect(order10.lines.map((line) => line.id)).toEqual([101n, 102n]);
    expect(order10.totalRefunded.toString()).toBe("5");
    expect(order10.discountCodes).toEqual(["WELCOME"]);
    expect(
      (await prisma.order.findUniqueOrThrow({ where: { shopId_id: { shopId, id: 11n } } }))
        .customerId,
    ).toBeNull();
    const tea = await prisma.product.findUniqueOrThrow({
      where: { shopId_id: { shopId, id: 900n } },
      include: { variants: true },
    });
    expect(tea).toMatchObject({
      handle: "tea",
      status: "active",
      totalInventory: 12,
      imageUrl: "https://cdn.example/tea.png",
    });
    expect(tea.variants).toHaveLength(1);
  });

  it("GIVEN a customer who clicked an email the day before an order WHEN the order arrives by backfill, twice THEN it is credited to that email once", async () => {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO email_message (shop_id, message_key, customer_id, status, sent_at)
       VALUES ($1, '<m1@rekindle.app>', 1, 'sent', '2025-02-27T10:00:00Z') RETURNING id::text`,
      [shopId],
    );
    const messageId = rows[0]?.id;
    await sql.query(
      `INSERT INTO email_touch (shop_id, message_id, customer_id, kind, url, at)
       VALUES ($1, $2, 1, 'click', 'https://shop.example/', '2025-02-28T10:00:00Z')`,
      [shopId, messageId],
    );
    await loadBulkJsonl(sql, shopId, linesOf(jsonl));
    await loadBulkJsonl(sql, shopId, linesOf(jsonl));
    const credited = await sql.query<{ order_id: string; message_id: string; touch: string }>(
      `SELECT order_id::text, message_id::text, touch FROM email_attribution WHERE shop_id = $1`,
      [shopId],
    );
    expect(credited.rows).toEqual([{ order_id: "10", message_id: messageId, touch: "click" }]);
  });

  it("resumes after an interruption without loading anything twice", async () => {
    const failing = async function* () {
      for (const [index, line] of jsonl.entries()) {
        if (index === 5) throw new Error("connection reset");
        yield line;
      }
    };
    let committed = 0;
    await expect(
      loadBulkJsonl(sql, shopId, failing(), {
        batchSize: 2,
        onProgress: (p) => void (committed = p.linesCommitted),
      }),
    ).rejects.toThrow("connection reset");
    expect(committed).toBe(4);
    await loadBulkJsonl(sql, shopId, linesOf(jsonl), { batchSize: 2, skipLines: committed });
    expect(await prisma.customer.count({ where: { shopId } })).toBe(2);
    expect(await prisma.orderLine.count({ where: { shopId } })).toBe(3);
    expect(await prisma.refund.count({ where: { shopId } })).toBe(2);
  });

  it("rejects a malformed line and commits nothing of its batch", async () => {
    const bad = [
      ...jsonl.slice(0, 2),
      JSON.stringify({ id: "gid://shopify/Customer/3", email: 5 }),
    ];
    await expect(loadBulkJsonl(sql, shopId, linesOf(bad), { batchSize: 10 })).rejects.toThrow();
    expect(await prisma.customer.count({ where: { shopId } })).toBe(0);
  });
});
