import { describe } from "vitest";
import { migratedTestDatabase } from "../helpers/test-database";
import { bulkLoadExactness } from "./bulk-load-exactness";

// On the embedded database (PGlite), whose COPY reads its rows from a blob.
const database = await migratedTestDatabase();

describe("bulk JSONL load exactness (PGlite)", () => {
  bulkLoadExactness(database);
});
