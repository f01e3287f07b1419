import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { getDatabase } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { loadEnvOrExit, migrateDatabase } from "~/server/boot.server";

export interface AppServerOptions {
  /** production serves build/; development compiles on demand through Vite. */
  mode: "production" | "development";
  port?: number;
  /** Middleware in front of the app (the demo embeds it in the simulated admin). */
  middleware?: express.RequestHandler[];
}

export interface RunningAppServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The app's HTTP server: environment check, migrations, then Remix behind Express. Every
 * entry point (npm start, npm run dev, the demo, end-to-end tests) goes through here.
 */
export async function startAppServer(options: AppServerOptions): Promise<RunningAppServer> {
  const env = loadEnvOrExit();
  await migrateDatabase(env);
  const workersInProcess = env.WORKERS_IN_PROCESS ?? !env.DATABASE_URL;
  // Loaded after migrating: it pulls in the Shopify app, whose session storage looks for its
  // table as soon as it is created.
  const { startSyncRunner } = await import("~/services/sync/sync-runner.server");
  const runner = workersInProcess
    ? startSyncRunner(getDatabase().sql, {
        reconcileIntervalMinutes: env.RECONCILE_INTERVAL_MINUTES,
        inboxRetentionDays: env.INBOX_RETENTION_DAYS,
        claimLockSeconds: env.INBOX_CLAIM_LOCK_SECONDS,
      })
    : undefined;

  const app = express();
  app.disable("x-powered-by");
  for (const handler of options.middleware ?? []) app.use(handler);
  const { webhookIngestRouter } = await import("~/server/webhook-ingest.server");
  app.use(webhookIngestRouter());

  let closeVite = async () => {};

  if (options.mode === "development") {
    const vite = await import("vite").then((module) =>
      module.createServer({ server: { middlewareMode: true } }),
    );
    closeVite = () => vite.close();
    app.use(vite.middlewares);
    app.all(
      "*",
      createRequestHandler({
        build: () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
      }),
    );
  } else {
    const buildDir = path.resolve("build");
    app.use(
      "/assets",
      express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }),
    );
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
    app.all("*", createRequestHandler({ build, mode: "production" }));
  }

  const port = options.port ?? env.PORT;
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const listening = app.listen(port, () => resolve(listening));
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  const url = `http://localhost:${boundPort}`;
  logger.info({ url, mode: options.mode }, "app server listening");
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner?.stop();
      await closeVite();
    },
  };
}

const isMain =
  process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const mode = process.argv.includes("--dev") ? "development" : "production";
  const running = await startAppServer({ mode });
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
