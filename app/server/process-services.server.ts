/**
 * What the server entry takes from the Remix server build besides the routes: the webhook
 * front and the sync workers, so they share the routes' modules (one session storage, one set
 * of caches per process). `app/entry.server.tsx` re-exports them.
 */
export { webhookIngestRouter } from "./webhook-ingest.server";
export { startSyncRunner } from "~/services/sync/sync-runner.server";

export type ProcessServices = {
  webhookIngestRouter: typeof import("./webhook-ingest.server").webhookIngestRouter;
  startSyncRunner: typeof import("~/services/sync/sync-runner.server").startSyncRunner;
};
