import { openAsBlob } from "node:fs";
import { inject } from "vitest";

// The app's in-memory database in this file starts from the migrated dump made once for the
// run (migrated-database.global.ts); app/db.server.ts reads it if and when it opens the
// database (the blob reads the file only then).
const snapshot = inject("migratedDatabaseSnapshot");
if (snapshot) globalThis.rekindleTestDatabaseSnapshot = await openAsBlob(snapshot);
