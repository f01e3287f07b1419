/**
 * Values the builder suggests from the shop itself: the customer tags and countries its
 * customers have, most common first, so a merchant picks `VIP` rather than guessing its spelling,
 * and the shop's collections by title for "has bought from collection".
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export const SUGGESTION_LIMIT = 200;
/** Collections the picker offers; the picker filters them by title as the merchant types. */
export const COLLECTION_LIMIT = 5000;

export interface ValueSuggestions {
  tags: string[];
  /** ISO 3166 country codes as Shopify stores them (`DE`, `US`). */
  countries: string[];
  /** The shop's collections (deleted ones left out), ids as text. */
  collections: Array<{ id: string; title: string }>;
}

export async function segmentValueSuggestions(
  sql: SqlQueryable,
  shopId: number,
): Promise<ValueSuggestions> {
  const [tags, countries, collections] = await Promise.all([
    sql.query<{ value: string }>(
      `SELECT tag AS value FROM customer c, unnest(c.tags) AS tag
       WHERE c.shop_id = $1 AND c.deleted_at IS NULL
       GROUP BY tag ORDER BY count(*) DESC, tag LIMIT ${SUGGESTION_LIMIT}`,
      [shopId],
    ),
    sql.query<{ value: string }>(
      `SELECT country_code AS value FROM customer
       WHERE shop_id = $1 AND deleted_at IS NULL AND country_code IS NOT NULL
       GROUP BY country_code ORDER BY count(*) DESC, country_code LIMIT ${SUGGESTION_LIMIT}`,
      [shopId],
    ),
    sql.query<{ id: string; title: string }>(
      `SELECT id::text, title FROM collection
       WHERE shop_id = $1 AND deleted_at IS NULL
       ORDER BY lower(title), id LIMIT ${COLLECTION_LIMIT}`,
      [shopId],
    ),
  ]);
  return {
    tags: tags.rows.map((row) => row.value),
    countries: countries.rows.map((row) => row.value),
    collections: collections.rows,
  };
}
