import type { SqlQueryable } from "~/lib/database-adapter.server";
import { batchColumns, jsonBatches } from "./batch-source.server";
import { newestPerId } from "./record-json";
import type { CollectionMemberRecord, CollectionRecord, TombstoneRecord } from "./records";
import { dedupeTombstones, type WriteOptions } from "./write-records.server";

// Collections and their products. The ordering rules are the products': a collection row is only
// overwritten by a version at least as new, and a deleted one is never written again. Membership
// is replaced whole per collection; `members_read_at` says which version of the collection the
// stored products belong to, so a newer version (a collections webhook) shows a refresh is due.

const collectionColumns = batchColumns<CollectionRecord>("collection", [
  ["id", "bigint"],
  ["title", "text"],
  ["handle", "text"],
  ["updatedAt", "timestamptz"],
]);

export interface WriteCollectionsOptions extends WriteOptions {
  /**
   * The records' products follow (a bulk export's child lines): the stored ones are dropped and
   * the records' version is recorded as the one the products belong to.
   */
  membersFollow?: boolean;
}

/** Upserts collections; returns the ids written (older versions and deleted ones are not). */
export async function writeCollections(
  sql: SqlQueryable,
  shopId: number,
  records: readonly CollectionRecord[],
  { source = jsonBatches, membersFollow = false }: WriteCollectionsOptions = {},
): Promise<bigint[]> {
  if (records.length === 0) return [];
  const batch = await source.relation(collectionColumns, newestPerId(records));
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO collection AS t (shop_id, id, title, handle, shopify_updated_at, synced_at)
     SELECT $1, x.id, x."title", x."handle", x."updatedAt", now()
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET
        title = excluded.title, handle = excluded.handle,
        shopify_updated_at = excluded.shopify_updated_at, synced_at = now()
     WHERE t.deleted_at IS NULL AND excluded.shopify_updated_at >= t.shopify_updated_at
     RETURNING t.id::text AS id`,
    [shopId, ...batch.params],
  );
  if (membersFollow) {
    // Every listed collection, also one a newer webhook already updated: its products are read
    // now, and the older version recorded beside them keeps its refresh due.
    const versions = newestPerId(records);
    await sql.query(
      `DELETE FROM collection_product WHERE shop_id = $1 AND collection_id = ANY($2::bigint[])`,
      [shopId, versions.map((record) => record.id.toString())],
    );
    await sql.query(
      `UPDATE collection c SET members_read_at = v.read_at
       FROM unnest($2::bigint[], $3::timestamptz[]) AS v(id, read_at)
       WHERE c.shop_id = $1 AND c.id = v.id AND c.deleted_at IS NULL`,
      [
        shopId,
        versions.map((record) => record.id.toString()),
        versions.map((record) => record.updatedAt.toISOString()),
      ],
    );
  }
  return rows.map((row) => BigInt(row.id));
}

const memberColumns = batchColumns<CollectionMemberRecord>("collection_member", [
  ["collectionId", "bigint"],
  ["productId", "bigint"],
]);

/** Adds products to collections already written (a deleted collection takes none). */
export async function writeCollectionMembers(
  sql: SqlQueryable,
  shopId: number,
  members: readonly CollectionMemberRecord[],
  { source = jsonBatches }: WriteOptions = {},
): Promise<void> {
  if (members.length === 0) return;
  const batch = await source.relation(memberColumns, members);
  await sql.query(
    `INSERT INTO collection_product (shop_id, collection_id, product_id)
     SELECT $1, x."collectionId", x."productId"
     FROM ${batch.from}
     JOIN collection c ON c.shop_id = $1 AND c.id = x."collectionId" AND c.deleted_at IS NULL
     ON CONFLICT DO NOTHING`,
    [shopId, ...batch.params],
  );
}

/**
 * Replaces one collection's products with those read from the Admin API for the version
 * `readVersion` (the collection's shopify_updated_at when the read began). Nothing is written
 * when the collection was deleted meanwhile.
 */
export async function replaceCollectionMembers(
  sql: SqlQueryable,
  shopId: number,
  collectionId: bigint,
  productIds: readonly bigint[],
  readVersion: Date,
): Promise<void> {
  const { rows } = await sql.query(
    `UPDATE collection SET members_read_at = $3::timestamptz
     WHERE shop_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING 1`,
    [shopId, collectionId.toString(), readVersion.toISOString()],
  );
  if (rows.length === 0) return;
  await sql.query(`DELETE FROM collection_product WHERE shop_id = $1 AND collection_id = $2`, [
    shopId,
    collectionId.toString(),
  ]);
  await writeCollectionMembers(
    sql,
    shopId,
    productIds.map((productId) => ({ collectionId, productId })),
  );
}

const tombstoneColumns = batchColumns<TombstoneRecord>("collection_tombstone", [
  ["id", "bigint"],
  ["deletedAt", "timestamptz"],
]);

/** collections/delete: the collection is marked deleted (for good) and holds no products. */
export async function tombstoneCollections(
  sql: SqlQueryable,
  shopId: number,
  tombstones: readonly TombstoneRecord[],
): Promise<void> {
  if (tombstones.length === 0) return;
  const unique = dedupeTombstones(tombstones);
  const batch = await jsonBatches.relation(tombstoneColumns, unique);
  await sql.query(
    `INSERT INTO collection AS t (shop_id, id, title, handle, shopify_updated_at, deleted_at)
     SELECT $1, x.id, '', '', x."deletedAt", x."deletedAt"
     FROM ${batch.from}
     ON CONFLICT (shop_id, id) DO UPDATE SET deleted_at = COALESCE(t.deleted_at, excluded.deleted_at)`,
    [shopId, ...batch.params],
  );
  await sql.query(
    `DELETE FROM collection_product WHERE shop_id = $1 AND collection_id = ANY($2::bigint[])`,
    [shopId, unique.map((tombstone) => tombstone.id.toString())],
  );
}
