/**
 * Saving and reading a shop's segments. The text is parsed and checked before anything is
 * written, so a bad rule never reaches the database; the canonical text is what is stored.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError, NotFoundError } from "~/lib/errors";
import { SEGMENT_NAME_MAX } from "./segment-name";
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

/** The segment's name cannot be used; `code` says why, so the page can say it in words. */
export class SegmentNameError extends InvalidInputError {
  constructor(code: "name_length" | "name_taken", message: string) {
    super(message, { code });
  }
}

/** A win-back rule starts from the segment, so it cannot be deleted. */
export class SegmentInUseError extends InvalidInputError {
  constructor(readonly ruleNames: readonly string[]) {
    super(
      `This segment starts the win-back rule ${ruleNames.map((name) => `"${name}"`).join(", ")}: change it first`,
      { code: "segment_in_use" },
    );
  }
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > SEGMENT_NAME_MAX) {
    throw new SegmentNameError(
      "name_length",
      `A segment name needs 1 to ${SEGMENT_NAME_MAX} characters`,
    );
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
    throw new SegmentNameError("name_taken", `There is already a segment called "${name}"`);
  }
  if (input.id) {
    const before = await sql.query<{ shopify_tag: string | null }>(
      `SELECT shopify_tag FROM segment WHERE shop_id = $1 AND id = $2`,
      [shopId, input.id.toString()],
    );
    const previous = before.rows[0];
    if (previous && previous.shopify_tag !== shopifyTag) {
      await queueTagRemoval(sql, shopId, input.id);
      await retagMembers(sql, shopId, input.id);
    }
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
  if (id === undefined) throw new NotFoundError("That segment does not exist");
  return { id: BigInt(id), name, query, ast, shopifyTag, members: 0 };
}

export async function listSegments(sql: SqlQueryable, shopId: number): Promise<StoredSegment[]> {
  return selectSegments(sql, shopId);
}

/** @throws NotFoundError when the shop has no segment with that id. */
export async function getSegment(
  sql: SqlQueryable,
  shopId: number,
  id: bigint,
): Promise<StoredSegment> {
  const [segment] = await selectSegments(sql, shopId, id);
  if (!segment) throw new NotFoundError("That segment does not exist");
  return segment;
}

/**
 * A copy of a segment under `name` (or `name 2`, `name 3`, … when that is taken), with the
 * same rule and without the Shopify tag, so two segments never write the same tag.
 */
export async function duplicateSegment(
  sql: SqlQueryable,
  shopId: number,
  id: bigint,
  name: string,
): Promise<StoredSegment> {
  const source = await getSegment(sql, shopId, id);
  const base = checkedName(name);
  const { rows } = await sql.query<{ name: string }>(
    `SELECT name FROM segment WHERE shop_id = $1`,
    [shopId],
  );
  const taken = new Set(rows.map((row) => row.name));
  let candidate = base;
  for (let copy = 2; taken.has(candidate); copy++) {
    const suffix = ` ${copy}`;
    candidate = `${base.slice(0, SEGMENT_NAME_MAX - suffix.length).trimEnd()}${suffix}`;
  }
  return saveSegment(sql, shopId, { name: candidate, query: source.query });
}

async function selectSegments(
  sql: SqlQueryable,
  shopId: number,
  id?: bigint,
): Promise<StoredSegment[]> {
  const { rows } = await sql.query<{
    id: string;
    name: string;
    query: string;
    ast: SegmentExpression;
    shopify_tag: string | null;
    members: number;
  }>(
    `SELECT s.id::text, s.name, s.query, s.ast, s.shopify_tag,
            (SELECT count(*)::int FROM segment_membership sm
             WHERE sm.shop_id = s.shop_id AND sm.segment_id = s.id) AS members
     FROM segment s WHERE s.shop_id = $1 AND ($2::bigint IS NULL OR s.id = $2::bigint)
     ORDER BY s.name`,
    [shopId, id?.toString() ?? null],
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

/**
 * Deletes a segment and its members. Customers still carrying its Shopify tag are queued to
 * have it removed. A segment a win-back rule triggers on cannot go while the rule exists.
 * @throws NotFoundError when the shop has no such segment (nothing is changed).
 */
export async function deleteSegment(sql: SqlClient, shopId: number, id: bigint) {
  await sql.transaction(async (tx) => {
    const rules = await tx.query<{ name: string }>(
      `SELECT name FROM winback_rule
       WHERE shop_id = $1 AND config -> 'trigger' ->> 'segmentId' = $2 ORDER BY name`,
      [shopId, id.toString()],
    );
    if (rules.rows.length > 0) throw new SegmentInUseError(rules.rows.map((rule) => rule.name));
    await queueTagRemoval(tx, shopId, id);
    await tx.query(`DELETE FROM segment_membership WHERE shop_id = $1 AND segment_id = $2`, [
      shopId,
      id.toString(),
    ]);
    const deleted = await tx.query(
      `DELETE FROM segment WHERE shop_id = $1 AND id = $2 RETURNING id`,
      [shopId, id.toString()],
    );
    if (deleted.rows.length === 0) throw new NotFoundError("That segment does not exist");
  });
}

/** Queues the segment's current Shopify tag for removal from its current members. */
async function queueTagRemoval(sql: SqlQueryable, shopId: number, segmentId: bigint) {
  await sql.query(
    `INSERT INTO customer_tag_removal (shop_id, customer_id, tag)
     SELECT m.shop_id, m.customer_id, s.shopify_tag
     FROM segment_membership m JOIN segment s ON s.id = m.segment_id
     WHERE m.shop_id = $1 AND m.segment_id = $2 AND s.shopify_tag IS NOT NULL`,
    [shopId, segmentId.toString()],
  );
}

/**
 * After a segment's tag changed (renamed, or tagging switched on or off): the old tag is
 * queued for removal and every member's latest membership event is marked unpushed, so the
 * tag push brings the new tag (or none) in line. No new events: rules triggered by entering
 * the segment must not see an entry that did not happen.
 */
async function retagMembers(sql: SqlQueryable, shopId: number, segmentId: bigint) {
  await sql.query(
    `UPDATE segment_membership_event SET pushed_at = NULL
     WHERE shop_id = $1
       AND id IN (SELECT max(e.id) FROM segment_membership_event e
                  JOIN segment_membership m ON m.shop_id = e.shop_id
                    AND m.segment_id = e.segment_id AND m.customer_id = e.customer_id
                  WHERE e.shop_id = $1 AND e.segment_id = $2 GROUP BY e.customer_id)`,
    [shopId, segmentId.toString()],
  );
}
