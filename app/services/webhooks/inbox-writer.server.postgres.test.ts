import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { connectDatabase } from "~/lib/database-adapter.server";
import { applyMigrations } from "~/lib/migrations.server";
import { inboxRow } from "../../../tests/helpers/inbox-row";
import {
  createScratchPostgresDatabase,
  postgresUnavailableReason,
} from "../../../tests/helpers/scratch-postgres";
import { InboxWriter } from "./inbox-writer.server";

// Group commit on PostgreSQL through the ingest pool, as a web process runs it: four
// statements in flight on their own connections, each prepared once per connection.
const unavailable = await postgresUnavailableReason();
const scratch = unavailable ? undefined : await createScratchPostgresDatabase();
const connection = scratch
  ? connectDatabase({ databaseUrl: scratch.url }, { poolSize: 2, ingestPoolSize: 4 })
  : undefined;
if (connection) await applyMigrations(connection.sql);

afterAll(async () => {
  await connection?.ingestSql.close();
  await connection?.sql.close();
  await scratch?.drop();
});

describe.skipIf(!connection)("InboxWriter on PostgreSQL", () => {
  const { sql, ingestSql } = connection ?? ({} as NonNullable<typeof connection>);
  beforeEach(() => sql.exec(`TRUNCATE webhook_inbox`));
  const storedIds = async () =>
    (await sql.query<{ webhook_id: string }>(`SELECT webhook_id FROM webhook_inbox`)).rows
      .map((row) => row.webhook_id)
      .sort();

  it("GIVEN 400 concurrent 12 KB deliveries, a tenth of them twice, THEN each is stored once, byte for byte, lz4-compressed", async () => {
    const writer = new InboxWriter(ingestSql, 4);
    const payload = (id: string) =>
      JSON.stringify({
        id,
        line_items: Array.from({ length: 600 }, (_, n) => ({ n, sku: `S-${n}` })),
      });
    const ids = Array.from({ length: 400 }, (_, index) => `w${String(index).padStart(3, "0")}`);
    const deliveries = [...ids, ...ids.filter((_, index) => index % 10 === 0)];
    // In waves, as requests arrive: some while earlier statements are still in flight.
    const writes: Promise<void>[] = [];
    for (let start = 0; start < deliveries.length; start += 37) {
      for (const id of deliveries.slice(start, start + 37)) {
        writes.push(writer.write(inboxRow(id, payload(id))));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    expect(await storedIds()).toEqual(ids);
    const { rows } = await sql.query<{ altered: string; methods: string[] }>(
      `SELECT count(*) FILTER (WHERE payload <> $1 AND webhook_id = 'w123')::text AS altered,
              array_agg(DISTINCT pg_column_compression(payload)) AS methods
       FROM webhook_inbox`,
      [payload("w123")],
    );
    expect(rows[0]).toEqual({ altered: "0", methods: ["lz4"] });
  });

  it("GIVEN a statement the server refuses, THEN all its deliveries fail, none is stored, and the next ones are", async () => {
    const writer = new InboxWriter(ingestSql, 4);
    const batch = [inboxRow("ok-1"), inboxRow("bad", "{\u0000}"), inboxRow("ok-2")];
    const results = await Promise.allSettled(batch.map((row) => writer.write(row)));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(await storedIds()).toEqual([]);
    await Promise.all([writer.write(inboxRow("ok-1")), writer.write(inboxRow("ok-2"))]);
    expect(await storedIds()).toEqual(["ok-1", "ok-2"]);
  });
});
