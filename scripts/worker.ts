import "~/server/require-supported-node";
import "./production-mode";
import { getDatabase } from "~/db.server";
import { startJobRunner } from "~/jobs/job-runner.server";
import { logger } from "~/lib/logger.server";
import { loadEnvOrExit, migrateDatabase } from "~/server/boot.server";

// A background worker process for PostgreSQL deployments: runs the jobs in app/jobs/registry.ts.
// Run as many as the load needs: they share the inbox safely (SKIP LOCKED claims), and each
// scheduled job runs once per due time among them.
const env = loadEnvOrExit();
if (!env.DATABASE_URL) {
  process.stderr.write(
    "npm run worker needs DATABASE_URL (on the embedded database the web process runs the workers)\n",
  );
  process.exit(1);
}
await migrateDatabase(env);
const runner = startJobRunner(getDatabase().sql, {
  inboxWorkers: env.INBOX_WORKERS,
  reconcileIntervalMinutes: env.RECONCILE_INTERVAL_MINUTES,
  inboxRetentionDays: env.INBOX_RETENTION_DAYS,
  pixelRetentionDays: env.PIXEL_RETENTION_DAYS,
  claimLockSeconds: env.INBOX_CLAIM_LOCK_SECONDS,
  queueDatabase: getDatabase().queueDatabase,
  flowQueueSettings: {
    expireInSeconds: env.FLOW_STEP_EXPIRE_SECONDS,
    superviseIntervalSeconds: env.FLOW_SUPERVISE_SECONDS,
  },
});
logger.info("job worker started");
const stop = async () => {
  await runner.stop();
  await getDatabase().sql.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
