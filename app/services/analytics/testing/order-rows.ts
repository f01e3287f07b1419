/**
 * Writes customers and orders straight into the tables the analytics read, so tests control
 * every field (refunds, cancellations, test orders, guests) without the sync path.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface TestOrder {
  id: bigint;
  customerId: bigint | null;
  processedAt: Date;
  total: number;
  refunded?: number;
  cancelled?: boolean;
  test?: boolean;
  /** [productId, quantity] lines; one line of product 1 by default. */
  lines?: Array<[bigint, number]>;
}

export async function insertCustomers(
  sql: SqlQueryable,
  shopId: number,
  ids: readonly bigint[],
): Promise<void> {
  await sql.query(
    `INSERT INTO customer (shop_id, id, created_at, shopify_updated_at)
     SELECT $1, id, '2024-01-01', '2024-01-01' FROM unnest($2::bigint[]) AS id`,
    [shopId, ids.map(String)],
  );
}

export async function insertOrders(
  sql: SqlQueryable,
  shopId: number,
  orders: readonly TestOrder[],
): Promise<void> {
  await sql.query(
    `INSERT INTO "order" (shop_id, id, customer_id, name, currency, total_price, subtotal_price,
       total_refunded, test, processed_at, cancelled_at, created_at, shopify_updated_at)
     SELECT $1, o.id, o.customer_id, '#' || o.id, 'USD', o.total, o.total, o.refunded, o.test,
            o.at AT TIME ZONE 'UTC', CASE WHEN o.cancelled THEN o.at AT TIME ZONE 'UTC' END,
            o.at AT TIME ZONE 'UTC', o.at AT TIME ZONE 'UTC'
     FROM unnest($2::bigint[], $3::bigint[], $4::numeric[], $5::numeric[], $6::boolean[],
                 $7::timestamptz[], $8::boolean[])
       AS o(id, customer_id, total, refunded, test, at, cancelled)`,
    [
      shopId,
      orders.map((order) => order.id.toString()),
      orders.map((order) => order.customerId?.toString() ?? null),
      orders.map((order) => order.total.toFixed(2)),
      orders.map((order) => (order.refunded ?? 0).toFixed(2)),
      orders.map((order) => order.test ?? false),
      orders.map((order) => order.processedAt.toISOString()),
      orders.map((order) => order.cancelled ?? false),
    ],
  );
  const lines = orders.flatMap((order) =>
    (order.lines ?? [[1n, 1]]).map(([productId, quantity], index) => ({
      id: order.id * 100n + BigInt(index),
      orderId: order.id,
      productId,
      quantity,
    })),
  );
  await sql.query(
    `INSERT INTO order_line (shop_id, id, order_id, product_id, title, quantity, price)
     SELECT $1, l.id, l.order_id, l.product_id, 'Item', l.quantity, 0
     FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::int[])
       AS l(id, order_id, product_id, quantity)`,
    [
      shopId,
      lines.map((line) => line.id.toString()),
      lines.map((line) => line.orderId.toString()),
      lines.map((line) => line.productId.toString()),
      lines.map((line) => line.quantity),
    ],
  );
}
