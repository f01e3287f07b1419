/**
 * What the server entry takes from the Remix server build besides the routes: the webhook
 * and web pixel fronts and the background job runner, so they share the routes' modules (one session storage, one set
 * of caches per process). `app/entry.server.tsx` re-exports them.
 */
export { webhookFront } from "./webhook-ingest.server";
export { pixelFront } from "./pixel-ingest.server";
export { startJobRunner } from "~/jobs/job-runner.server";

export type ProcessServices = {
  webhookFront: typeof import("./webhook-ingest.server").webhookFront;
  pixelFront: typeof import("./pixel-ingest.server").pixelFront;
  startJobRunner: typeof import("~/jobs/job-runner.server").startJobRunner;
};
