import { getDatabase } from "~/db.server";

export interface ShopOverview {
  customers: number;
  orders: number;
  products: number;
  lastWebhookAt: string | null;
}

/** Headline counts for the dashboard, all scoped to one shop. */
export async function getShopOverview(shopDomain: string): Promise<ShopOverview> {
  const { rows } = await getDatabase().sql.query<{
    customers: string;
    orders: string;
    products: string;
    last_webhook_at: Date | null;
  }>(
    `SELECT
       (SELECT count(*) FROM customer c WHERE c.shop_id = s.id AND c.deleted_at IS NULL) AS customers,
       (SELECT count(*) FROM "order" o WHERE o.shop_id = s.id AND o.deleted_at IS NULL) AS orders,
       (SELECT count(*) FROM product p WHERE p.shop_id = s.id AND p.deleted_at IS NULL) AS products,
       (SELECT max(received_at) FROM webhook_inbox w WHERE w.shop_id IN (0, s.id) AND w.shop_domain = s.domain) AS last_webhook_at
     FROM shop s WHERE s.domain = $1`,
    [shopDomain],
  );
  const row = rows[0];
  if (!row) return { customers: 0, orders: 0, products: 0, lastWebhookAt: null };
  return {
    customers: Number(row.customers),
    orders: Number(row.orders),
    products: Number(row.products),
    lastWebhookAt: row.last_webhook_at ? new Date(row.last_webhook_at).toISOString() : null,
  };
}
