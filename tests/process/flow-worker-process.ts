import { getDatabase } from "~/db.server";
import { startJobRunner } from "~/jobs/job-runner.server";
import { JOBS } from "~/jobs/registry";

// A worker process running only the messaging-flow jobs (entries and steps) on the database in
// DATABASE_URL, with a short job expiry and retry delay so that a killed process's step comes back quickly.
// Started and SIGKILLed by flow-steps-kill.test.ts and flow-discount-kill.test.ts.
const database = getDatabase();
startJobRunner(database.sql, {
  passMs: 300,
  jobs: JOBS.filter((job) => job.name.startsWith("message-flow-")),
  queueDatabase: database.queueDatabase,
  flowQueueSettings: {
    expireInSeconds: 10,
    superviseIntervalSeconds: 1,
    pollingIntervalSeconds: 0.5,
    concurrency: 1,
    retryDelaySeconds: 1,
  },
  // Loaded with devstore-reroute.ts, steps reach the simulated store's Admin API through the
  // shop's offline session (discount codes); otherwise the test's flow only sends email.
  ...(!process.env.DEVSTORE_REROUTE && {
    transportFor: async () => {
      throw new Error("this test's flow only sends email");
    },
  }),
});
process.stdout.write("flow worker started\n");
