import { readFile } from "node:fs/promises";
import { beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "~/lib/migrations.server";
import { TEST_SHOP } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { enqueueWebhook } from "./inbox-helpers";

// The migration that turned dead letters' English reasons into message keys, run on rows the
// sync wrote before it (each sentence exactly as the old code wrote it).
const { sql, prisma } = await migratedTestDatabase();
const MIGRATION = `${MIGRATIONS_DIR}/20261203180007_dead_reason_messages/migration.sql`;

const OLD_REASONS = [
  "Rekindle tried to save this update 8 times without success and stopped trying. Retry it; if it fails again, contact support.",
  "Shopify's message for this update arrived incomplete or damaged, so it can't be read.",
  "Rekindle doesn't handle this kind of update.",
  "Shopify's message for this request doesn't have the shape Shopify documents, so it can't be acted on.",
  "Rekindle couldn't save this refund: one of its values is outside what it can store.",
  "This update doesn't contain a Shopify order.",
  "The order's line item id is missing.",
  "The order's id '1x' isn't a Shopify id Rekindle can store.",
  "The order's customer 'guest' isn't in the shape Shopify documents.",
  "Something a later version wrote",
];

beforeEach(async () => {
  await truncateAppTables();
  await prisma.shop.create({ data: { domain: TEST_SHOP } });
});

describe("dead letters' reasons as message keys", () => {
  it("maps each English reason the sync wrote to its key and values, and an unknown one to none", async () => {
    // GIVEN the inbox as it was before the migration, with a dead letter for each old reason
    await sql.exec(
      `ALTER TABLE webhook_inbox DROP COLUMN dead_reason;
       ALTER TABLE webhook_inbox ADD COLUMN dead_reason TEXT`,
    );
    for (const [index, reason] of OLD_REASONS.entries()) {
      await enqueueWebhook(TEST_SHOP, "orders/create", { id: index });
      await sql.query(
        `UPDATE webhook_inbox SET status = 'dead', dead_reason = $1 WHERE payload = $2`,
        [reason, JSON.stringify({ id: index })],
      );
    }
    // WHEN the migration runs
    await sql.exec(await readFile(MIGRATION, "utf8"));
    // THEN every reason is a key (with the value it quoted), and the unknown one is left out
    const { rows } = await sql.query<{ dead_reason: unknown }>(
      `SELECT dead_reason FROM webhook_inbox ORDER BY id`,
    );
    expect(rows.map((row) => row.dead_reason)).toEqual([
      { key: "deadReasons.gaveUp", values: { attempts: 8 } },
      { key: "deadReasons.damaged" },
      { key: "deadReasons.unhandledTopic" },
      { key: "deadReasons.wrongShape" },
      { key: "deadReasons.valueOutOfRange" },
      { key: "deadReasons.notARecord" },
      { key: "deadReasons.idMissing" },
      { key: "deadReasons.idUnusable", values: { value: "1x" } },
      { key: "deadReasons.partMalformed", values: { value: "guest" } },
      null,
    ]);
  });
});
