/**
 * GET /apps/rekindle/offer — the logged-in shopper's win-back offer for the banner, as
 * `{ offer: { id, code, title, discountText, expiresAt } }`, or `{ offer: null }`. The customer
 * is only ever the one Shopify signed (`logged_in_customer_id`); no query parameter can pick
 * another customer's code. Always private: a discount code must not sit in a shared cache.
 */
import { getDatabase } from "~/db.server";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { StorefrontShopper } from "./app-proxy.server";

export interface OfferJson {
  id: string;
  code: string;
  title: string;
  discountText: string;
  expiresAt: string | null;
}

/** The customer's newest offer that has not expired, or null. */
export async function findActiveOffer(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
  now: Date,
): Promise<OfferJson | null> {
  const { rows } = await sql.query<{
    id: string;
    code: string;
    title: string;
    discount_text: string;
    expires_at: string | null;
  }>(
    `SELECT id::text, code, title, discount_text,
            to_char(expires_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS expires_at
     FROM customer_offer
     WHERE shop_id = $1 AND customer_id = $2
       AND (expires_at IS NULL OR expires_at > ($3::timestamptz AT TIME ZONE 'UTC'))
       AND (title <> '' OR discount_text <> '')
     ORDER BY created_at DESC, id DESC LIMIT 1`,
    [shopId, customerId.toString(), now.toISOString()],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    discountText: row.discount_text,
    expiresAt: row.expires_at,
  };
}

/** The banner's answer: a guest has no offer. */
export async function storefrontOffer({
  shop,
  customerId,
}: StorefrontShopper): Promise<{ offer: OfferJson | null }> {
  const offer =
    customerId === null
      ? null
      : await findActiveOffer(getDatabase().sql, shop.id, customerId, new Date());
  return { offer };
}
