import { afterAll, describe } from "vitest";
import {
  createScratchPostgresDatabase,
  postgresUnavailableReason,
} from "../helpers/scratch-postgres";
import { bulkLoadExactness } from "./bulk-load-exactness";

// On PostgreSQL, whose COPY streams from the client (pg-copy-streams), with the loader's two
// connections really running at once.
const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`skipping bulk load exactness on PostgreSQL: ${unavailable}`);
const scratch = unavailable ? undefined : await createScratchPostgresDatabase();
if (scratch) process.env.DATABASE_URL = scratch.url;
// The app's database module reads DATABASE_URL when it is first imported.
const { migratedTestDatabase } = await import("../helpers/test-database");
const database = scratch ? await migratedTestDatabase() : undefined;

afterAll(async () => {
  await database?.sql.close();
  await scratch?.drop();
});

describe.skipIf(!database)("bulk JSONL load exactness (PostgreSQL)", () => {
  if (database) bulkLoadExactness(database);
});
