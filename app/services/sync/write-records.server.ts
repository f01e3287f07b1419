import type { SqlQueryable } from "~/lib/database-adapter.server";
import { batchColumns, jsonBatches, type BatchSource } from "./batch-source.server";
import { newestPerId } from "./record-json";
import type {
  CheckoutRecord,
  CustomerRecord,
  OrderLineRecord,
  OrderRecord,
  ProductRecord,
  RefundLineRecord,
  RefundRecord,
  TombstoneRecord,
  VariantRecord,
} from "./records";

// Set-based writers: one statement per resource per batch, whatever the batch size. The rows
// are read as the relation x from a BatchSource: one JSON text read once by json_to_recordset
// (jsonb_to_recordset first builds the binary jsonb of the whole batch, ~1.7x the CPU for the
// same rows), or, for bulk loads, a staging table filled by COPY.
// Ordering safety lives in the SQL: a row is only overwritten by a version whose Shopify
// updated_at is at least as new, and a tombstoned (deleted) row is never written again.

/** Where a writer reads its batch from (JSON unless said otherwise). */
export interface WriteOptions {
  source?: BatchSource;
}

const customerColumns = batchColumns<CustomerRecord>("customer", [
  ["id", "bigint"],
  ["email", "text"],
  ["firstName", "text"],
  ["lastName", "text"],
  ["phone", "text"],
  ["locale", "text"],
  ["state", "text"],
  ["tags", "text[]"],
  ["emailMarketing", "text"],
  ["emailMarketingUpdatedAt", "timestamptz"],
  ["smsMarketing", "text"],
  ["countryCode", "text"],
  ["province", "text"],
  ["city", "text"],
  ["verifiedEmail", "boolean"],
  ["taxExempt", "boolean"],
  ["createdAt", "timestamptz"],
  ["updatedAt", "timestamptz"],
]);

const customerOptionalColumns = batchColumns<CustomerRecord>("customer_optional", [
  ["id", "bigint"],
  ["tags", "text[]"],
  ["emailMarketing", "text"],
  ["emailMarketingUpdatedAt", "timestamptz"],
  ["smsMarketing", "text"],
  ["updatedAt", "timestamptz"],
]);

export async function writeCustomers(
  sql: SqlQueryable,
  shopId: number,
  records: readonly CustomerRecord[],
  { source = jsonBatches }: WriteOptions = {},
): Promise<bigint[]> {
  if (records.length === 0) return [];
  const rows = newestPerId(records);
  // Fields a source may omit (webhook bodies of some API versions carry no tags or consent)
  // are only overwritten when present. Complete records (GraphQL) set them in the upsert
  // itself; the others get a second statement for just the fields they carry.
  const complete = rows.filter(
    (r) => r.tags !== undefined && r.emailMarketing !== undefined && r.smsMarketing !== undefined,
  );
  const completeSet = new Set(complete);
  const incomplete = rows.filter((r) => !completeSet.has(r));
  const written = [
    ...(await upsertCustomers(sql, shopId, complete, true, source)),
    ...(await upsertCustomers(sql, shopId, incomplete, false, source)),
  ];
  const carryingOptional = incomplete.filter(
    (r) => r.tags !== undefined || r.emailMarketing !== undefined || r.smsMarketing !== undefined,
  );
  if (carryingOptional.length > 0) {
    const batch = await source.relation(customerOptionalColumns, carryingOptional);
    const ids = `$${2 + batch.params.length}`;
    await sql.query(
      `UPDATE customer t SET
          tags = COALESCE(x."tags", t.tags),
          email_marketing = COALESCE(x."emailMarketing", t.email_marketing),
          email_marketing_updated_at = CASE WHEN x."emailMarketing" IS NULL THEN t.email_marketing_updated_at
                                            ELSE x."emailMarketingUpdatedAt" END,
          sms_marketing = COALESCE(x."smsMarketing", t.sms_marketing)
       FROM ${batch.from}
       WHERE t.shop_id = $1 AND t.id = x.id AND t.shopify_updated_at = x."updatedAt" AND t.deleted_at IS NULL
         -- Redundant with t.id = x.id, but it bounds the plan by the batch: on a table not yet
         -- analyzed the join was planned as a scan of every customer of the shop per row.
         AND t.id = ANY(${ids}::bigint[])`,
      [shopId, ...batch.params, carryingOptional.map((r) => r.id.toString())],
    );
  }
  return written;
}

async function upsertCustomers(
  sql: SqlQueryable,
  shopId: number,
  rows: readonly CustomerRecord[],
  withOptionalFields: boolean,
  source: BatchSource,
): Promise<bigint[]> {
  if (rows.length === 0) return [];
  const batch = await source.relation(customerColumns, rows);
  const optionalUpdates = withOptionalFields
    ? `tags = excluded.tags, email_marketing = excluded.email_marketing,
       email_marketing_updated_at = excluded.email_marketing_updated_at, sms_marketing = excluded.sms_marketing,`
    : "";
  const { rows: written } = await sql.query<{ id: string }>(
    `INSERT INTO customer AS t (shop_id, id, email, first_name, last_name, phone, locale, state, tags,
        email_marketing, email_marketing_updated_at, sms_marketing, country_code, province, city,
        verified_email, tax_exempt, created_at, shopify_updated_at, synced_at)
     SELECT $1, x.id, x."email", x."firstName", x."lastName", x."phone", x."locale", x."state",
        COALESCE(x."tags", '{}'), COALESCE(x."emailMarketing", 'not_subscribed'), x."emailMarketingUpdatedAt",
        COALESCE(x."smsMarketing", 'not_subscribed'), x."countryCode", x."province", x."city",
        x."verifiedEmail", x."taxExempt", x."createdAt", x."updatedAt", now()
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET ${optionalUpdates}
        email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
        phone = excluded.phone, locale = COALESCE(excluded.locale, t.locale), state = excluded.state,
        country_code = excluded.country_code, province = excluded.province, city = excluded.city,
        verified_email = excluded.verified_email, tax_exempt = excluded.tax_exempt,
        created_at = excluded.created_at, shopify_updated_at = excluded.shopify_updated_at, synced_at = now()
     WHERE t.deleted_at IS NULL AND t.redacted_at IS NULL AND excluded.shopify_updated_at >= t.shopify_updated_at
     RETURNING t.id::text AS id`,
    [shopId, ...batch.params],
  );
  return written.map((row) => BigInt(row.id));
}

/**
 * Marks customers deleted and drops their contact details. A delete that arrives before the
 * create leaves a tombstone row, so the late create cannot bring the customer back.
 */
const tombstoneColumns = batchColumns<TombstoneRecord>("tombstone", [
  ["id", "bigint"],
  ["deletedAt", "timestamptz"],
]);

export async function tombstoneCustomers(
  sql: SqlQueryable,
  shopId: number,
  tombstones: readonly TombstoneRecord[],
  { source = jsonBatches }: WriteOptions = {},
): Promise<void> {
  if (tombstones.length === 0) return;
  const batch = await source.relation(tombstoneColumns, dedupeTombstones(tombstones));
  await sql.query(
    `INSERT INTO customer AS t (shop_id, id, created_at, shopify_updated_at, deleted_at)
     SELECT $1, x.id, x."deletedAt", x."deletedAt", x."deletedAt"
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET deleted_at = COALESCE(t.deleted_at, excluded.deleted_at),
        email = NULL, first_name = NULL, last_name = NULL, phone = NULL, city = NULL, province = NULL`,
    [shopId, ...batch.params],
  );
}

export async function tombstoneProducts(
  sql: SqlQueryable,
  shopId: number,
  tombstones: readonly TombstoneRecord[],
  { source = jsonBatches }: WriteOptions = {},
): Promise<void> {
  if (tombstones.length === 0) return;
  const batch = await source.relation(tombstoneColumns, dedupeTombstones(tombstones));
  await sql.query(
    `INSERT INTO product AS t (shop_id, id, title, handle, status, created_at, shopify_updated_at, deleted_at)
     SELECT $1, x.id, '', '', 'deleted', x."deletedAt", x."deletedAt", x."deletedAt"
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET deleted_at = COALESCE(t.deleted_at, excluded.deleted_at)`,
    [shopId, ...batch.params],
  );
}

/** One tombstone per id (one INSERT ... ON CONFLICT cannot touch a row twice). */
export function dedupeTombstones(tombstones: readonly TombstoneRecord[]): TombstoneRecord[] {
  return [...new Map(tombstones.map((tombstone) => [tombstone.id, tombstone])).values()];
}

export interface WriteOrdersOptions extends WriteOptions {
  /**
   * Replace the stored line items with the record's (webhooks, reconciliation). The bulk
   * backfill turns this off: its line items arrive as separate JSONL lines after the order.
   */
  replaceLines?: boolean;
}

const orderColumns = batchColumns<OrderRecord>("order", [
  ["id", "bigint"],
  ["customerId", "bigint"],
  ["name", "text"],
  ["email", "text"],
  ["currency", "text"],
  ["totalPrice", "numeric"],
  ["subtotalPrice", "numeric"],
  ["totalDiscounts", "numeric"],
  ["totalTax", "numeric"],
  ["financialStatus", "text"],
  ["fulfillmentStatus", "text"],
  ["discountCodes", "text[]"],
  ["tags", "text[]"],
  ["sourceName", "text"],
  ["test", "boolean"],
  ["processedAt", "timestamptz"],
  ["cancelledAt", "timestamptz"],
  ["cancelReason", "text"],
  ["createdAt", "timestamptz"],
  ["updatedAt", "timestamptz"],
]);

export async function writeOrders(
  sql: SqlQueryable,
  shopId: number,
  records: readonly OrderRecord[],
  { replaceLines = true, source = jsonBatches }: WriteOrdersOptions = {},
): Promise<bigint[]> {
  if (records.length === 0) return [];
  const orders = newestPerId(records);
  const batch = await source.relation(orderColumns, orders);
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO "order" AS t (shop_id, id, customer_id, name, email, currency, total_price, subtotal_price,
        total_discounts, total_tax, financial_status, fulfillment_status, discount_codes, tags, source_name,
        test, processed_at, cancelled_at, cancel_reason, created_at, shopify_updated_at, synced_at)
     SELECT $1, x.id, x."customerId", x."name", x."email",
        COALESCE(x."currency", (SELECT currency FROM shop WHERE id = $1)), x."totalPrice", x."subtotalPrice",
        x."totalDiscounts", x."totalTax", x."financialStatus", x."fulfillmentStatus", x."discountCodes",
        x."tags", x."sourceName", x."test", x."processedAt", x."cancelledAt", x."cancelReason",
        x."createdAt", x."updatedAt", now()
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET
        customer_id = excluded.customer_id, name = excluded.name, email = excluded.email,
        currency = excluded.currency, total_price = excluded.total_price,
        subtotal_price = excluded.subtotal_price, total_discounts = excluded.total_discounts,
        total_tax = excluded.total_tax, financial_status = excluded.financial_status,
        fulfillment_status = excluded.fulfillment_status, discount_codes = excluded.discount_codes,
        tags = excluded.tags, source_name = excluded.source_name, test = excluded.test,
        processed_at = excluded.processed_at, cancelled_at = excluded.cancelled_at,
        cancel_reason = excluded.cancel_reason, created_at = excluded.created_at,
        shopify_updated_at = excluded.shopify_updated_at, synced_at = now()
     WHERE t.deleted_at IS NULL AND t.redacted_at IS NULL AND excluded.shopify_updated_at >= t.shopify_updated_at
     RETURNING t.id::text AS id`,
    [shopId, ...batch.params],
  );
  const written = new Set(rows.map((row) => row.id));
  const accepted = orders.filter((order) => written.has(order.id.toString()));
  if (accepted.length === 0) return [];

  const acceptedIds = accepted.map((order) => order.id.toString());
  if (replaceLines) {
    // The winning version's line items replace whatever was stored for that order.
    await sql.query(`DELETE FROM order_line WHERE shop_id = $1 AND order_id = ANY($2::bigint[])`, [
      shopId,
      acceptedIds,
    ]);
    await writeOrderLines(
      sql,
      shopId,
      accepted.flatMap((order) => order.lines.map((line) => ({ ...line, orderId: order.id }))),
      { source },
    );
  }
  const embeddedRefunds = accepted.flatMap((order) => order.refunds ?? []);
  await insertRefunds(sql, shopId, embeddedRefunds, source);
  await refreshRefundTotals(sql, shopId, acceptedIds);
  return accepted.map((order) => order.id);
}

const orderLineColumns = batchColumns<OrderLineRecord & { orderId: bigint }>("order_line", [
  ["id", "bigint"],
  ["orderId", "bigint"],
  ["productId", "bigint"],
  ["variantId", "bigint"],
  ["title", "text"],
  ["variantTitle", "text"],
  ["sku", "text"],
  ["quantity", "int"],
  ["price", "numeric"],
  ["totalDiscount", "numeric"],
  ["giftCard", "boolean"],
]);

export async function writeOrderLines(
  sql: SqlQueryable,
  shopId: number,
  lines: ReadonlyArray<OrderLineRecord & { orderId: bigint }>,
  { source = jsonBatches }: WriteOptions = {},
): Promise<void> {
  if (lines.length === 0) return;
  const batch = await source.relation(orderLineColumns, lines);
  await sql.query(
    `INSERT INTO order_line (shop_id, id, order_id, product_id, variant_id, title, variant_title, sku,
        quantity, price, total_discount, gift_card)
     SELECT $1, x.id, x."orderId", x."productId", x."variantId", x."title", x."variantTitle", x."sku",
        x."quantity", x."price", x."totalDiscount", x."giftCard"
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET order_id = excluded.order_id, product_id = excluded.product_id,
        variant_id = excluded.variant_id, title = excluded.title, quantity = excluded.quantity,
        price = excluded.price, total_discount = excluded.total_discount`,
    [shopId, ...batch.params],
  );
}

/** Refunds are immutable in Shopify: the first copy stored wins, replays are no-ops. */
export async function writeRefunds(
  sql: SqlQueryable,
  shopId: number,
  refunds: readonly RefundRecord[],
  { source = jsonBatches }: WriteOptions = {},
): Promise<void> {
  if (refunds.length === 0) return;
  await insertRefunds(sql, shopId, refunds, source);
  await refreshRefundTotals(sql, shopId, [
    ...new Set(refunds.map((refund) => refund.orderId.toString())),
  ]);
}

const refundColumns = batchColumns<RefundRecord>("refund", [
  ["id", "bigint"],
  ["orderId", "bigint"],
  ["amount", "numeric"],
  ["createdAt", "timestamptz"],
]);

const refundLineColumns = batchColumns<RefundLineRecord & { refundId: bigint; orderId: bigint }>(
  "refund_line",
  [
    ["id", "bigint"],
    ["refundId", "bigint"],
    ["orderId", "bigint"],
    ["lineItemId", "bigint"],
    ["quantity", "int"],
    ["subtotal", "numeric"],
  ],
);

async function insertRefunds(
  sql: SqlQueryable,
  shopId: number,
  refunds: readonly RefundRecord[],
  source: BatchSource,
) {
  if (refunds.length === 0) return;
  const unique = [...new Map(refunds.map((refund) => [refund.id, refund])).values()];
  const refundBatch = await source.relation(refundColumns, unique);
  await sql.query(
    `INSERT INTO refund (shop_id, id, order_id, amount, created_at)
     SELECT $1, x.id, x."orderId", x."amount", x."createdAt"
     FROM ${refundBatch.from}
     ON CONFLICT (shop_id, id) DO NOTHING`,
    [shopId, ...refundBatch.params],
  );
  const lines = unique.flatMap((refund) =>
    refund.lines.map((line) => ({ ...line, refundId: refund.id, orderId: refund.orderId })),
  );
  if (lines.length === 0) return;
  const lineBatch = await source.relation(refundLineColumns, lines);
  await sql.query(
    `INSERT INTO refund_line (shop_id, id, refund_id, order_id, line_item_id, quantity, subtotal)
     SELECT $1, x.id, x."refundId", x."orderId", x."lineItemId", x."quantity", x."subtotal"
     FROM ${lineBatch.from}
     ON CONFLICT (shop_id, id) DO NOTHING`,
    [shopId, ...lineBatch.params],
  );
}

/**
 * Derived totals are recomputed from the refund rows, so replays cannot double count. Only
 * orders that have refunds are touched (the rest keep their zero defaults), and the updates
 * name their rows by key so their cost never depends on the size of the tables.
 */
async function refreshRefundTotals(sql: SqlQueryable, shopId: number, orderIds: readonly string[]) {
  if (orderIds.length === 0) return;
  const { rows: totals } = await sql.query<{ order_id: string; total: string }>(
    `SELECT order_id::text, sum(amount)::text AS total FROM refund
     WHERE shop_id = $1 AND order_id = ANY($2::bigint[]) GROUP BY order_id`,
    [shopId, orderIds],
  );
  if (totals.length === 0) return;
  await sql.query(
    `UPDATE "order" o SET total_refunded = r.total
     FROM unnest($2::bigint[], $3::numeric[]) AS r(order_id, total)
     WHERE o.shop_id = $1 AND o.id = r.order_id AND o.total_refunded IS DISTINCT FROM r.total`,
    [shopId, totals.map((row) => row.order_id), totals.map((row) => row.total)],
  );
  const { rows: quantities } = await sql.query<{ line_item_id: string; quantity: number }>(
    `SELECT line_item_id::text, sum(quantity)::int AS quantity FROM refund_line
     WHERE shop_id = $1 AND order_id = ANY($2::bigint[]) GROUP BY line_item_id`,
    [shopId, orderIds],
  );
  if (quantities.length === 0) return;
  await sql.query(
    `UPDATE order_line l SET refunded_quantity = r.quantity
     FROM unnest($2::bigint[], $3::int[]) AS r(line_item_id, quantity)
     WHERE l.shop_id = $1 AND l.id = r.line_item_id AND l.refunded_quantity IS DISTINCT FROM r.quantity`,
    [shopId, quantities.map((row) => row.line_item_id), quantities.map((row) => row.quantity)],
  );
}

const productColumns = batchColumns<ProductRecord>("product", [
  ["id", "bigint"],
  ["title", "text"],
  ["handle", "text"],
  ["status", "text"],
  ["productType", "text"],
  ["vendor", "text"],
  ["tags", "text[]"],
  ["imageUrl", "text"],
  ["totalInventory", "int"],
  ["createdAt", "timestamptz"],
  ["publishedAt", "timestamptz"],
  ["updatedAt", "timestamptz"],
]);

export async function writeProducts(
  sql: SqlQueryable,
  shopId: number,
  records: readonly ProductRecord[],
  {
    replaceVariants = true,
    source = jsonBatches,
  }: WriteOptions & { replaceVariants?: boolean } = {},
): Promise<bigint[]> {
  if (records.length === 0) return [];
  const products = newestPerId(records);
  const batch = await source.relation(productColumns, products);
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO product AS t (shop_id, id, title, handle, status, product_type, vendor, tags, image_url,
        total_inventory, created_at, published_at, shopify_updated_at, synced_at)
     SELECT $1, x.id, x."title", x."handle", x."status", x."productType", x."vendor", x."tags", x."imageUrl",
        x."totalInventory", x."createdAt", x."publishedAt", x."updatedAt", now()
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET
        title = excluded.title, handle = excluded.handle, status = excluded.status,
        product_type = excluded.product_type, vendor = excluded.vendor, tags = excluded.tags,
        image_url = excluded.image_url, total_inventory = excluded.total_inventory,
        created_at = excluded.created_at, published_at = excluded.published_at,
        shopify_updated_at = excluded.shopify_updated_at, synced_at = now()
     WHERE t.deleted_at IS NULL AND excluded.shopify_updated_at >= t.shopify_updated_at
     RETURNING t.id::text AS id`,
    [shopId, ...batch.params],
  );
  const written = new Set(rows.map((row) => row.id));
  const accepted = products.filter((product) => written.has(product.id.toString()));
  if (accepted.length === 0) return [];
  if (replaceVariants) {
    await sql.query(`DELETE FROM variant WHERE shop_id = $1 AND product_id = ANY($2::bigint[])`, [
      shopId,
      accepted.map((product) => product.id.toString()),
    ]);
    await writeVariants(
      sql,
      shopId,
      accepted.flatMap((product) =>
        product.variants.map((variant) => ({ ...variant, productId: product.id })),
      ),
      { source },
    );
  }
  return accepted.map((product) => product.id);
}

const variantColumns = batchColumns<VariantRecord & { productId: bigint }>("variant", [
  ["id", "bigint"],
  ["productId", "bigint"],
  ["title", "text"],
  ["sku", "text"],
  ["price", "numeric"],
  ["compareAtPrice", "numeric"],
  ["inventoryQuantity", "int"],
  ["availableForSale", "boolean"],
]);

export async function writeVariants(
  sql: SqlQueryable,
  shopId: number,
  variants: ReadonlyArray<VariantRecord & { productId: bigint }>,
  { source = jsonBatches }: WriteOptions = {},
): Promise<void> {
  if (variants.length === 0) return;
  const batch = await source.relation(variantColumns, variants);
  await sql.query(
    `INSERT INTO variant (shop_id, id, product_id, title, sku, price, compare_at_price, inventory_quantity,
        available_for_sale)
     SELECT $1, x.id, x."productId", x."title", x."sku", x."price", x."compareAtPrice",
        x."inventoryQuantity", x."availableForSale"
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET product_id = excluded.product_id, title = excluded.title,
        sku = excluded.sku, price = excluded.price, compare_at_price = excluded.compare_at_price,
        inventory_quantity = excluded.inventory_quantity, available_for_sale = excluded.available_for_sale`,
    [shopId, ...batch.params],
  );
}

const checkoutColumns = batchColumns<CheckoutRecord>("checkout", [
  ["id", "bigint"],
  ["token", "text"],
  ["customerId", "bigint"],
  ["email", "text"],
  ["currency", "text"],
  ["totalPrice", "numeric"],
  ["recoveryUrl", "text"],
  ["createdAt", "timestamptz"],
  ["completedAt", "timestamptz"],
  ["updatedAt", "timestamptz"],
]);

export async function writeCheckouts(
  sql: SqlQueryable,
  shopId: number,
  records: readonly CheckoutRecord[],
  { source = jsonBatches }: WriteOptions = {},
): Promise<void> {
  if (records.length === 0) return;
  const batch = await source.relation(checkoutColumns, newestPerId(records));
  await sql.query(
    `INSERT INTO checkout AS t (shop_id, id, token, customer_id, email, currency, total_price, recovery_url,
        created_at, completed_at, shopify_updated_at)
     SELECT $1, x.id, x."token", x."customerId", x."email",
        COALESCE(x."currency", (SELECT currency FROM shop WHERE id = $1)), x."totalPrice", x."recoveryUrl",
        x."createdAt", x."completedAt", x."updatedAt"
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET
        customer_id = excluded.customer_id, email = excluded.email, currency = excluded.currency,
        total_price = excluded.total_price, recovery_url = excluded.recovery_url,
        completed_at = excluded.completed_at, shopify_updated_at = excluded.shopify_updated_at
     WHERE t.redacted_at IS NULL AND excluded.shopify_updated_at >= t.shopify_updated_at`,
    [shopId, ...batch.params],
  );
}
