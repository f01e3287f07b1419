import "~/server/require-supported-node";
import cluster from "node:cluster";
import { createServer } from "node:http";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { getDatabase } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { createAppFront } from "~/server/app-front.server";
import { loadEnvOrExit, migrateDatabase } from "~/server/boot.server";
import type { ProcessServices } from "~/server/process-services.server";
import { remixRequestHandler } from "~/server/remix-handler.server";
import { superviseWebProcesses, webProcessCount } from "~/server/web-processes.server";

export interface AppServerOptions {
  /** production serves build/; development compiles on demand through Vite. */
  mode: "production" | "development";
  /** Bring the schema up to date first (default); not in web processes whose primary did. */
  migrate?: boolean;
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
  if (options.migrate ?? true) await migrateDatabase(env);
  const workersInProcess = env.WORKERS_IN_PROCESS ?? !env.DATABASE_URL;

  let closeVite = async () => {};
  let assets: express.RequestHandler[];
  let remix: express.RequestHandler;
  let build: ServerBuild;
  if (options.mode === "development") {
    const vite = await import("vite").then((module) =>
      module.createServer({ server: { middlewareMode: true } }),
    );
    closeVite = () => vite.close();
    const loadBuild = () =>
      vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    build = await loadBuild();
    assets = [vite.middlewares];
    remix = remixRequestHandler(loadBuild, "development");
  } else {
    const buildDir = path.resolve("build");
    build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
    const statics = express.Router();
    statics.use(
      "/assets",
      express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }),
    );
    statics.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    assets = [statics];
    remix = remixRequestHandler(build, "production");
  }
  // The webhook front and the job runner come from the same module graph as the Remix
  // routes: loaded from source beside a bundled build, they would hold their own copies of
  // every in-process cache (sessions, recommendation models) and disagree with the routes.
  const services = build.entry.module as unknown as ProcessServices;
  const runner = workersInProcess
    ? services.startJobRunner(getDatabase().sql, {
        reconcileIntervalMinutes: env.RECONCILE_INTERVAL_MINUTES,
        inboxRetentionDays: env.INBOX_RETENTION_DAYS,
        pixelRetentionDays: env.PIXEL_RETENTION_DAYS,
        claimLockSeconds: env.INBOX_CLAIM_LOCK_SECONDS,
        queueDatabase: getDatabase().queueDatabase,
        flowQueueSettings: {
          expireInSeconds: env.FLOW_STEP_EXPIRE_SECONDS,
          superviseIntervalSeconds: env.FLOW_SUPERVISE_SECONDS,
        },
      })
    : undefined;

  const front = createAppFront({
    middleware: options.middleware,
    webhooks: services.webhookFront(),
    pixel: services.pixelFront(),
    assets,
    remix,
  });

  const port = options.port ?? env.PORT;
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const listening = createServer(front).listen(port, () => resolve(listening));
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
  // The entry decides, not the caller's shell: `npm start` is production whatever NODE_ENV
  // says, and only `--dev` (npm run dev) relaxes anything.
  process.env.NODE_ENV = mode;
  const processes = mode === "production" ? webProcessCount(loadEnvOrExit()) : 1;
  if (processes > 1 && cluster.isPrimary) {
    // Migrated once, here, before any web process serves.
    await migrateDatabase(loadEnvOrExit());
    superviseWebProcesses(processes);
  } else {
    const running = await startAppServer({ mode, migrate: cluster.isPrimary });
    const stop = async () => {
      await running.close();
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
}
