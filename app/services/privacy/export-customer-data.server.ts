import type { SqlQueryable } from "~/lib/database-adapter.server";
import { recordAuditEvent } from "./audit.server";

export interface CustomerDataRequest {
  shopDomain: string;
  customerId: bigint;
  dataRequestId: string | null;
}

/**
 * customers/data_request: gather everything held about the customer into one JSON document
 * the merchant downloads from the admin and sends to the customer: their record, orders,
 * checkouts, their address on the shop's email suppression list, and the storefront events
 * the web pixel stored for them (those of the browsers stitched to them included) with those
 * browsers.
 */
export async function exportCustomerData(
  sql: SqlQueryable,
  request: CustomerDataRequest,
): Promise<string | null> {
  const { rows: shops } = await sql.query<{ id: number }>(`SELECT id FROM shop WHERE domain = $1`, [
    request.shopDomain,
  ]);
  const shopId = shops[0]?.id;
  if (shopId === undefined) return null;
  const customerId = request.customerId.toString();
  const { rows } = await sql.query<{ payload: unknown }>(
    `SELECT jsonb_build_object(
       'customer', (SELECT to_jsonb(c) - 'shop_id' FROM customer c WHERE c.shop_id = $1 AND c.id = $2),
       'orders', COALESCE((SELECT jsonb_agg((to_jsonb(o) - 'shop_id') || jsonb_build_object(
           'lines', (SELECT COALESCE(jsonb_agg(to_jsonb(l) - 'shop_id'), '[]') FROM order_line l
                     WHERE l.shop_id = o.shop_id AND l.order_id = o.id),
           'refunds', (SELECT COALESCE(jsonb_agg(to_jsonb(r) - 'shop_id'), '[]') FROM refund r
                       WHERE r.shop_id = o.shop_id AND r.order_id = o.id)) ORDER BY o.processed_at)
         FROM "order" o WHERE o.shop_id = $1 AND o.customer_id = $2), '[]'),
       'checkouts', COALESCE((SELECT jsonb_agg(to_jsonb(k) - 'shop_id') FROM checkout k
         WHERE k.shop_id = $1 AND k.customer_id = $2), '[]'),
       'emailSuppressions', COALESCE((SELECT jsonb_agg((to_jsonb(s) - 'shop_id' - 'customer_id') ORDER BY s.created_at)
         FROM email_suppression s WHERE s.shop_id = $1 AND (s.customer_id = $2 OR s.email = (
           SELECT lower(c.email) FROM customer c WHERE c.shop_id = $1 AND c.id = $2))), '[]'),
       'browsers', COALESCE((SELECT jsonb_agg((to_jsonb(v) - 'shop_id' - 'customer_id') ORDER BY v.first_seen_at)
         FROM pixel_visitor v WHERE v.shop_id = $1 AND v.customer_id = $2), '[]'),
       'storefrontEvents', COALESCE((SELECT jsonb_agg((to_jsonb(e) - 'shop_id' - 'customer_id') ORDER BY e.occurred_at)
         FROM pixel_event e WHERE e.shop_id = $1 AND (e.customer_id = $2 OR e.client_id IN (
           SELECT v.client_id FROM pixel_visitor v WHERE v.shop_id = $1 AND v.customer_id = $2))), '[]')
     ) AS payload`,
    [shopId, customerId],
  );
  const { rows: inserted } = await sql.query<{ id: string }>(
    `INSERT INTO data_export (shop_id, customer_id, data_request_id, payload)
     VALUES ($1, $2, $3, $4::jsonb) RETURNING id::text`,
    [shopId, customerId, request.dataRequestId, JSON.stringify(rows[0]?.payload ?? {})],
  );
  await recordAuditEvent(sql, request.shopDomain, "customer_data_exported", {
    dataRequestId: request.dataRequestId ?? "",
  });
  return inserted[0]?.id ?? null;
}
