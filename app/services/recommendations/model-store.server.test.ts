import { beforeEach, describe, expect, it } from "vitest";
import { insertOrders, type TestOrder } from "~/services/analytics/testing/order-rows";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import {
  loadShopOrders,
  rebuildRecommendationModel,
  shopsDueForRecommendationModel,
} from "./model-store.server";

const { sql, prisma } = await migratedTestDatabase();
const NOW = new Date("2026-11-28T00:00:00Z");
const day = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "rec.myshopify.com" } })).id;
});

/** Customers 1..6 each buy 10 and 20 together; customers 1..3 also buy 30 later. */
function history(): TestOrder[] {
  const orders: TestOrder[] = [];
  let id = 1000n;
  for (let c = 1n; c <= 6n; c++) {
    orders.push({
      id: id++,
      customerId: c,
      processedAt: day(40),
      total: 20,
      lines: [
        [10n, 1],
        [20n, 1],
      ],
    });
    if (c <= 3n)
      orders.push({ id: id++, customerId: c, processedAt: day(5), total: 9, lines: [[30n, 1]] });
  }
  return orders;
}

describe("loadShopOrders", () => {
  it("leaves out cancelled, test and deleted orders, gift cards and fully refunded lines", async () => {
    await insertOrders(sql, shopId, [
      {
        id: 1n,
        customerId: 1n,
        processedAt: day(3),
        total: 10,
        lines: [
          [10n, 2],
          [11n, 1],
          [12n, 1],
        ],
      },
      {
        id: 2n,
        customerId: 1n,
        processedAt: day(2),
        total: 10,
        cancelled: true,
        lines: [[90n, 1]],
      },
      { id: 3n, customerId: 1n, processedAt: day(2), total: 10, test: true, lines: [[91n, 1]] },
      { id: 4n, customerId: null, processedAt: day(1), total: 10, lines: [[92n, 1]] },
    ]);
    await sql.query(`UPDATE "order" SET deleted_at = now() WHERE shop_id = $1 AND id = 4`, [
      shopId,
    ]);
    // Line 101 (product 11) is a gift card; line 102 (product 12) was refunded in full; one of
    // the two units of product 10 was refunded.
    await sql.query(`UPDATE order_line SET gift_card = true WHERE shop_id = $1 AND id = 101`, [
      shopId,
    ]);
    await sql.query(
      `UPDATE order_line SET refunded_quantity = 1 WHERE shop_id = $1 AND id IN (100, 102)`,
      [shopId],
    );
    expect(await loadShopOrders(sql, shopId)).toEqual([
      { orderId: "1", customerId: "1", timeMs: day(3).getTime(), productIds: ["10"] },
    ]);
  });
});

describe("loadShopOrders, page by page", () => {
  it("reads every order once whatever the page size", async () => {
    await insertOrders(sql, shopId, history());
    const all = await loadShopOrders(sql, shopId);
    expect(all).toHaveLength(9);
    expect(await loadShopOrders(sql, shopId, 2)).toEqual(all);
    expect(await loadShopOrders(sql, shopId, 9)).toEqual(all);
  });
});

describe("rebuildRecommendationModel", () => {
  it("stores each purchased product's neighbours, repurchase rate and the fallback lists", async () => {
    await insertOrders(sql, shopId, history());
    const result = await rebuildRecommendationModel(sql, shopId, NOW);
    expect(result).toMatchObject({ shopId, orders: 9, products: 3, builtAt: NOW });

    const { rows } = await sql.query<{
      product_id: string;
      neighbour_ids: string[];
      scores: number[];
    }>(
      `SELECT product_id::text, neighbour_ids::text[], scores FROM recommendation_set
       WHERE shop_id = $1 ORDER BY product_id`,
      [shopId],
    );
    expect(rows.map((row) => [row.product_id, row.neighbour_ids])).toEqual([
      ["10", ["20", "30"]],
      ["20", ["10", "30"]],
      ["30", ["10", "20"]],
    ]);
    // Bought together in one basket beats bought in separate orders.
    const ten = rows[0];
    expect(ten?.scores[0]).toBeGreaterThan(ten?.scores[1] ?? Infinity);

    const model = await prisma.recommendationModel.findUniqueOrThrow({ where: { shopId } });
    expect(model.builtAt).toEqual(NOW);
    expect((model.popular as { productId: string }[]).map((p) => p.productId)).toEqual([
      "10",
      "20",
      "30",
    ]);
  });

  it("replaces the previous model instead of adding to it", async () => {
    await insertOrders(sql, shopId, history());
    await rebuildRecommendationModel(sql, shopId, NOW);
    await sql.query(`UPDATE "order" SET cancelled_at = processed_at WHERE shop_id = $1`, [shopId]);
    const result = await rebuildRecommendationModel(sql, shopId, NOW);
    expect(result.products).toBe(0);
    const { rows } = await sql.query(`SELECT 1 FROM recommendation_set WHERE shop_id = $1`, [
      shopId,
    ]);
    expect(rows).toHaveLength(0);
  });
});

describe("shopsDueForRecommendationModel", () => {
  it("lists shops without a model or with one older than a day, not ones still backfilling", async () => {
    expect(await shopsDueForRecommendationModel(sql)).toEqual([shopId]);
    await rebuildRecommendationModel(sql, shopId);
    expect(await shopsDueForRecommendationModel(sql)).toEqual([]);
    await sql.query(
      `UPDATE recommendation_model SET built_at = built_at - interval '25 hours' WHERE shop_id = $1`,
      [shopId],
    );
    expect(await shopsDueForRecommendationModel(sql)).toEqual([shopId]);
    await sql.query(
      `INSERT INTO sync_job (shop_id, kind, resource, status) VALUES ($1, 'backfill', 'orders', 'running')`,
      [shopId],
    );
    expect(await shopsDueForRecommendationModel(sql)).toEqual([]);
  });

  it("lists a shop whose backfill finished after its model was built", async () => {
    await rebuildRecommendationModel(sql, shopId);
    await sql.query(
      `INSERT INTO sync_job (shop_id, kind, resource, status, finished_at)
       VALUES ($1, 'backfill', 'orders', 'done', now() - interval '1 hour')`,
      [shopId],
    );
    expect(await shopsDueForRecommendationModel(sql)).toEqual([]);
    await sql.query(`UPDATE sync_job SET finished_at = now() + interval '1 second'`);
    expect(await shopsDueForRecommendationModel(sql)).toEqual([shopId]);
    await rebuildRecommendationModel(sql, shopId, new Date(Date.now() + 2000));
    expect(await shopsDueForRecommendationModel(sql)).toEqual([]);
  });
});
