/**
 * Saving and reading a shop's segments. The text is parsed and checked before anything is
 * written, so a bad rule never reaches the database; the canonical text is what is stored.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError } from "~/lib/errors";
import { segmentTag } from "./shopify-tags.server";
import { parseSegment, printSegment, validateSegment, type SegmentExpression } from "./language";

export interface StoredSegment {
  id: bigint;
  name: string;
  query: string;
  ast: SegmentExpression;
  /** The customer tag members carry in Shopify, when the merchant turned that on. */
  shopifyTag: string | null;
  members: number;
}

const NAME_MAX = 80;

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > NAME_MAX) {
    throw new InvalidInputError(`A segment name needs 1 to ${NAME_MAX} characters`);
  }
  return trimmed;
}

/** @throws SegmentError for a bad rule, InvalidInputError for a bad or duplicate name. */
export async function saveSegment(
  sql: SqlQueryable,
  shopId: number,
  input: { id?: bigint; name: string; query: string; tagInShopify?: boolean },
): Promise<StoredSegment> {
  const name = checkedName(input.name);
  const { ast } = parseSegment(input.query);
  const query = printSegment(ast);
  const shopifyTag = input.tagInShopify ? segmentTag(name) : null;
  const duplicate = await sql.query(
    `SELECT 1 FROM segment WHERE shop_id = $1 AND name = $2 AND id IS DISTINCT FROM $3::bigint`,
    [shopId, name, input.id?.toString() ?? null],
  );
  if (duplicate.rows.length > 0) {
    throw new InvalidInputError(`There is already a segment called "${name}"`);
  }
  const { rows } = input.id
    ? await sql.query<{ id: string }>(
        `UPDATE segment SET name = $3, query = $4, ast = $5::jsonb, shopify_tag = $6,
           updated_at = now()
         WHERE shop_id = $1 AND id = $2 RETURNING id::text`,
        [shopId, input.id.toString(), name, query, JSON.stringify(ast), shopifyTag],
      )
    : await sql.query<{ id: string }>(
        `INSERT INTO segment (shop_id, name, query, ast, shopify_tag)
         VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING id::text`,
        [shopId, name, query, JSON.stringify(ast), shopifyTag],
      );
  const id = rows[0]?.id;
  if (id === undefined) throw new InvalidInputError("That segment does not exist");
  return { id: BigInt(id), name, query, ast, shopifyTag, members: 0 };
}

export async function listSegments(sql: SqlQueryable, shopId: number): Promise<StoredSegment[]> {
  const { rows } = await sql.query<{
    id: string;
    name: string;
    query: string;
    ast: SegmentExpression;
    shopify_tag: string | null;
    members: number;
  }>(
    `SELECT s.id::text, s.name, s.query, s.ast, s.shopify_tag,
            (SELECT count(*)::int FROM segment_membership sm WHERE sm.segment_id = s.id) AS members
     FROM segment s WHERE s.shop_id = $1 ORDER BY s.name`,
    [shopId],
  );
  return rows.map((row) => {
    // Stored trees were checked when saved; checking again guards against hand edits.
    validateSegment(row.ast);
    return {
      id: BigInt(row.id),
      name: row.name,
      query: row.query,
      ast: row.ast,
      shopifyTag: row.shopify_tag,
      members: row.members,
    };
  });
}

export async function deleteSegment(sql: SqlQueryable, shopId: number, id: bigint) {
  await sql.query(`DELETE FROM segment_membership WHERE shop_id = $1 AND segment_id = $2`, [
    shopId,
    id.toString(),
  ]);
  await sql.query(`DELETE FROM segment WHERE shop_id = $1 AND id = $2`, [shopId, id.toString()]);
}
