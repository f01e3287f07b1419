import type { SqlClient } from "~/lib/database-adapter.server";
import type { StoreData } from "./model";

type Row = Record<string, string | null>;

const cents = (amount: string | null) => (amount === null ? null : Number(amount).toFixed(2));
const time = (date: Date | null) => (date ? date.toISOString() : null);

/** What the app's tables should hold for the store, in the same text form the query returns. */
function expectedRows(data: StoreData) {
  const customers = data.customers.map((c) => ({
    id: c.id.toString(),
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    tags: [...c.tags].sort().join(","),
    email_marketing: c.email ? c.emailMarketing.toLowerCase() : "not_subscribed",
    country_code: c.address?.countryCode ?? null,
    created_at: time(c.createdAt),
    updated_at: time(c.updatedAt),
  }));
  const orders = data.orders.map((o) => ({
    id: o.id.toString(),
    customer_id: o.customerId?.toString() ?? null,
    name: o.name,
    total_price: cents(o.totalPrice),
    subtotal_price: cents(o.subtotalPrice),
    total_discounts: cents(o.totalDiscounts),
    total_tax: cents(o.totalTax),
    total_refunded: cents(
      String(
        o.refunds.reduce((sum, refund) => sum + Math.round(Number(refund.amount) * 100), 0) / 100,
      ),
    ),
    financial_status: o.financialStatus.toLowerCase(),
    processed_at: time(o.processedAt),
    cancelled_at: time(o.cancelledAt),
    updated_at: time(o.updatedAt),
  }));
  const lines = data.orders.flatMap((o) =>
    o.lineItems.map((l) => ({
      id: l.id.toString(),
      order_id: o.id.toString(),
      product_id: l.productId.toString(),
      variant_id: l.variantId.toString(),
      quantity: String(l.quantity),
      price: cents(l.price),
    })),
  );
  const refunds = data.orders.flatMap((o) =>
    o.refunds.map((r) => ({
      id: r.id.toString(),
      order_id: o.id.toString(),
      amount: cents(r.amount),
    })),
  );
  const products = data.products.map((p) => ({
    id: p.id.toString(),
    title: p.title,
    handle: p.handle,
    status: p.status.toLowerCase(),
    updated_at: time(p.updatedAt),
  }));
  const variants = data.products.flatMap((p) =>
    p.variants.map((v) => ({
      id: v.id.toString(),
      product_id: p.id.toString(),
      price: cents(v.price),
      inventory_quantity: String(v.inventoryQuantity),
    })),
  );
  return { customers, orders, lines, refunds, products, variants };
}

const ACTUAL_QUERIES = {
  customers: `SELECT id::text, email, first_name, last_name, array_to_string(ARRAY(SELECT unnest(tags) ORDER BY 1), ',') AS tags,
    email_marketing, country_code, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
    to_char(shopify_updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
    FROM customer WHERE shop_id = $1 AND deleted_at IS NULL`,
  orders: `SELECT id::text, customer_id::text, name, round(total_price, 2)::text AS total_price,
    round(subtotal_price, 2)::text AS subtotal_price, round(total_discounts, 2)::text AS total_discounts,
    round(total_tax, 2)::text AS total_tax, round(total_refunded, 2)::text AS total_refunded, financial_status,
    to_char(processed_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS processed_at,
    to_char(cancelled_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS cancelled_at,
    to_char(shopify_updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
    FROM "order" WHERE shop_id = $1 AND deleted_at IS NULL`,
  lines: `SELECT id::text, order_id::text, product_id::text, variant_id::text, quantity::text, round(price, 2)::text AS price
    FROM order_line WHERE shop_id = $1`,
  refunds: `SELECT id::text, order_id::text, round(amount, 2)::text AS amount FROM refund WHERE shop_id = $1`,
  products: `SELECT id::text, title, handle, status, to_char(shopify_updated_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
    FROM product WHERE shop_id = $1 AND deleted_at IS NULL`,
  variants: `SELECT id::text, product_id::text, round(price, 2)::text AS price, inventory_quantity::text
    FROM variant WHERE shop_id = $1`,
} as const;

/**
 * Row-for-row comparison of the simulated store with what the app stored for it. Returns a
 * readable list of differences (missing rows, extra rows, differing fields), empty when equal;
 * `counts` says how many rows each table compared.
 */
export async function compareStoreWithDatabase(data: StoreData, sql: SqlClient, shopId: number) {
  const expected = expectedRows(data);
  const differences: string[] = [];
  const counts: Record<string, number> = {};
  for (const [table, query] of Object.entries(ACTUAL_QUERIES) as Array<
    [keyof typeof ACTUAL_QUERIES, string]
  >) {
    const { rows } = await sql.query<Row>(query, [shopId]);
    const actualById = new Map(rows.map((row) => [row.id, row]));
    const wanted = expected[table] as Row[];
    counts[table] = wanted.length;
    for (const want of wanted) {
      const got = actualById.get(want.id ?? "");
      if (!got) {
        differences.push(`${table} ${want.id}: missing`);
        continue;
      }
      actualById.delete(want.id ?? "");
      for (const [field, value] of Object.entries(want)) {
        if ((got[field] ?? null) !== value) {
          differences.push(`${table} ${want.id}.${field}: expected ${value}, got ${got[field]}`);
        }
      }
    }
    for (const extra of actualById.keys()) differences.push(`${table} ${extra}: not in the store`);
  }
  return { differences, counts };
}
