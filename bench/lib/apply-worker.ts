import { once } from "node:events";
import pg from "pg";
import { poolSqlClient } from "../../app/lib/database-adapter.server";
import { processInboxBatch } from "../../app/services/sync/inbox-worker.server";

// One worker process of the apply benchmark: connects, says "ready" and waits for the bench's
// "go" on stdin (so the clock leaves out process start-up and module loading), drains the
// inbox, then reports what it applied.
const url = process.argv[2];
if (!url) throw new Error("usage: apply-worker <database url>");
const pool = new pg.Pool({ connectionString: url, max: 2, options: "-c TimeZone=UTC" });
const sql = poolSqlClient(pool);
await sql.query("SELECT 1");
process.stdout.write("ready\n");
const go = await Promise.race([
  once(process.stdin, "data").then(() => true),
  // The bench went away before saying go: nothing to measure.
  once(process.stdin, "end").then(() => false),
]);
process.stdin.destroy();
if (!go) {
  await pool.end();
  process.exit(0);
}
let applied = 0;
let idle = 0;
while (idle < 3) {
  const result = await processInboxBatch(sql, 500);
  applied += result.applied;
  idle = result.claimed === 0 ? idle + 1 : 0;
  if (result.claimed === 0) await new Promise((resolve) => setTimeout(resolve, 50));
}
await pool.end();
process.stdout.write(JSON.stringify({ applied }));
