import cluster from "node:cluster";
import { createServer } from "node:http";
import { superviseWebProcesses } from "~/server/web-processes.server";

// For web-processes.test.ts: the supervisor npm start runs with WEB_CONCURRENCY above 1, over
// web processes that answer with their pid (or, with FAIL_BOOT, die before listening).
if (cluster.isPrimary) {
  superviseWebProcesses(Number(process.env.WEB_CONCURRENCY));
} else if (process.env.FAIL_BOOT) {
  process.exit(3);
} else {
  const server = createServer((_request, response) => {
    response.setHeader("Connection", "close");
    response.end(String(process.pid));
  }).listen(Number(process.env.PORT), "127.0.0.1");
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}
