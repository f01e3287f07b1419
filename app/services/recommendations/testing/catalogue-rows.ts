/**
 * Writes products and variants straight into the catalogue tables the storefront endpoints read,
 * so tests (and the proxy benchmark) control stock, status and prices without the sync path.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export interface TestProduct {
  id: bigint;
  title?: string;
  status?: "active" | "draft" | "archived";
  productType?: string;
  price?: string;
  compareAtPrice?: string | null;
  inStock?: boolean;
  imageUrl?: string | null;
  createdAt?: Date;
}

export async function insertProducts(
  sql: SqlQueryable,
  shopId: number,
  products: readonly TestProduct[],
): Promise<void> {
  await sql.query(
    `INSERT INTO product (shop_id, id, title, handle, status, product_type, image_url,
       created_at, shopify_updated_at)
     SELECT $1, p.id, p.title, 'product-' || p.id, p.status, p.product_type, p.image_url,
            p.created_at AT TIME ZONE 'UTC', p.created_at AT TIME ZONE 'UTC'
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
       AS p(id, title, status, product_type, image_url, created_at)`,
    [
      shopId,
      products.map((product) => product.id.toString()),
      products.map((product) => product.title ?? `Product ${product.id}`),
      products.map((product) => product.status ?? "active"),
      products.map((product) => product.productType ?? null),
      products.map((product) =>
        product.imageUrl === undefined
          ? `https://cdn.shopify.com/s/files/1/p${product.id}.jpg`
          : product.imageUrl,
      ),
      products.map((product) => (product.createdAt ?? new Date("2024-01-01")).toISOString()),
    ],
  );
  // One variant per product, id = product id × 10.
  await sql.query(
    `INSERT INTO variant (shop_id, id, product_id, title, price, compare_at_price,
       inventory_quantity, available_for_sale)
     SELECT $1, v.product_id * 10, v.product_id, 'Default', v.price, v.compare_at,
            CASE WHEN v.in_stock THEN 5 ELSE 0 END, v.in_stock
     FROM unnest($2::bigint[], $3::numeric[], $4::numeric[], $5::boolean[])
       AS v(product_id, price, compare_at, in_stock)`,
    [
      shopId,
      products.map((product) => product.id.toString()),
      products.map((product) => product.price ?? "10.00"),
      products.map((product) => product.compareAtPrice ?? null),
      products.map((product) => product.inStock ?? true),
    ],
  );
}
