/**
 * A flow worker process for bench/flow-sending.ts: the registry's message-flow-steps consumer,
 * started by the job runner as scripts/worker.ts starts it, on the database in DATABASE_URL
 * (the parent's environment: the scratch database, NODE_ENV=production). It loads, says
 * "loaded", starts on "start", and on "stop" stops its workers and replies with the CPU and
 * statements it used between the two.
 */
import { countQueries } from "./count-queries";

export type FlowWorkerRequest = { type: "start" } | { type: "stop" };
export type FlowWorkerReply =
  { type: "loaded" } | { type: "stopped"; cpuMs: number; statements: number };

const { getDatabase } = await import("../../app/db.server");
const { startJobRunner } = await import("../../app/jobs/job-runner.server");
const { JOBS } = await import("../../app/jobs/registry");
const database = getDatabase();
const reply = (message: FlowWorkerReply) => process.send?.(message);
let stop: () => Promise<{ cpuMs: number; statements: number }> = () => {
  throw new Error("stop before start");
};

process.on("message", async (request: FlowWorkerRequest) => {
  if (request.type === "start") {
    const queries = countQueries();
    const cpuBefore = process.cpuUsage();
    const runner = startJobRunner(database.sql, {
      jobs: JOBS.filter((job) => job.name === "message-flow-steps"),
      queueDatabase: database.queueDatabase,
      // No Admin API here, as in the bench's own process (the shop's details are fresh).
      transportFor: async () => {
        throw new Error("the bench has no Admin API");
      },
    });
    stop = async () => {
      const cpu = process.cpuUsage(cpuBefore);
      const statements = queries.stop();
      await runner.stop();
      return { cpuMs: (cpu.user + cpu.system) / 1e3, statements };
    };
  } else {
    reply({ type: "stopped", ...(await stop()) });
    await database.sql.close();
    process.disconnect();
  }
});
reply({ type: "loaded" });
