import "~/server/require-supported-node";
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { adminOrderRoutes } from "../tests/devstore/admin-orders";
import { adminFrameRoutes, embeddedAppUrl } from "../tests/devstore/admin-frame";
import { embedInDevStore } from "../tests/devstore/embedding-middleware";
import { generateStore } from "../tests/devstore/generator/generate-store";
import { startDevStoreServer } from "../tests/devstore/server";
import { demoStoreEndDate } from "./demo-store-date";
import { ensureAppBuilt } from "./app-build";
import { preloadServerBuildPackages } from "./server-build-packages";
import { rerouteShopToDevStore } from "../tests/devstore/shopify-reroute";
import { checkoutRoutes, inspectionRoutes } from "../tests/devstore/storefront/checkout-routes";
import { ShopperCarts } from "../tests/devstore/storefront/carts";
import { storefrontRoutes } from "../tests/devstore/storefront/storefront-routes";
import { webPixelsRoutes } from "../tests/devstore/storefront/web-pixels/web-pixels-routes";
import { PLANS, type Plan } from "~/services/billing/plans";

/**
 * `npm run demo`: the app on the embedded database against a simulated Shopify store, with no
 * accounts and no network. Generates the store, starts it and the app (the production build,
 * as a merchant's host serves it; built first when build/ is missing or out of date), installs
 * the app the way Shopify admin does (session token → token exchange), waits for the first
 * sync and prints where to look. `--dev` serves the app through Vite instead, for working on
 * it. Ctrl-C stops everything.
 */
const { values: args } = parseArgs({
  options: {
    orders: { type: "string", default: process.env.DEMO_ORDERS ?? "5000" },
    seed: { type: "string", default: process.env.DEMO_SEED ?? "7" },
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "store-port": { type: "string", default: process.env.DEMO_STORE_PORT ?? "3100" },
    "data-dir": { type: "string", default: process.env.DEMO_DATA_DIR ?? ".demo" },
    reset: { type: "boolean", default: false },
    dev: { type: "boolean", default: false },
  },
});
const mode = args.dev ? "development" : "production";

const DEMO_APP = {
  apiKey: "rekindle-demo-client-id",
  secret: "rekindle-demo-client-secret",
  // The demo merchant also granted the optional read_all_orders, so the whole history syncs.
  scopes:
    "read_customers,write_customers,read_orders,read_all_orders,read_products,read_themes,write_discounts,write_app_proxy,write_pixels,read_customer_events",
};
const appPort = Number(args.port);
const appUrl = `http://localhost:${appPort}`;
const dataDir = path.resolve(args["data-dir"]);

if (args.reset) rmSync(dataDir, { recursive: true, force: true });
// Started first: the store is generated and started while the app builds.
const build = ensureAppBuilt(process.cwd(), {
  production: mode === "production",
  log: (line) => process.stdout.write(`${line}\n`),
  // Whatever the shell says: a development NODE_ENV would make Vite build React's dev bundles.
  env: { ...process.env, NODE_ENV: "production" },
});
// The demo's own app settings; a real .env never reaches here.
Object.assign(process.env, {
  SHOPIFY_API_KEY: DEMO_APP.apiKey,
  SHOPIFY_API_SECRET: DEMO_APP.secret,
  SCOPES: DEMO_APP.scopes,
  SHOPIFY_APP_URL: appUrl,
  PORT: String(appPort),
  PGLITE_DATA_DIR: path.join(dataDir, "pglite"),
  DATABASE_URL: "",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  NODE_ENV: mode,
  // Win-back emails go to a local sink on loopback, which the SSRF guard otherwise refuses.
  SMTP_ALLOWED_PRIVATE_HOSTS: "127.0.0.1",
});
delete process.env.DATABASE_URL;

const endDate = demoStoreEndDate(dataDir);
const data = generateStore({ seed: Number(args.seed), orders: Number(args.orders), endDate });
const store = await startDevStoreServer({
  data,
  app: DEMO_APP,
  appUrl,
  port: Number(args["store-port"]),
  autoDeliver: true,
  // The app keeps its token in the data folder; the store remembers granting it, so a demo
  // started again after Ctrl-C or a crash goes on with the same install.
  tokenStateFile: path.join(dataDir, "store-tokens.json"),
  webPixelStateFile: path.join(dataDir, "store-web-pixel.json"),
});
store.addRoute(
  adminFrameRoutes({ shop: data.shop.domain, shopName: data.shop.name, appUrl, app: DEMO_APP }),
);
const carts = new ShopperCarts();
store.addRoute(storefrontRoutes({ store: store.store, appUrl, app: DEMO_APP, carts }));
store.addRoute(webPixelsRoutes());
store.addRoute(checkoutRoutes(store.store, carts));
store.addRoute(inspectionRoutes(store.store));
store.addRoute(adminOrderRoutes(store.store));
const restoreFetch = rerouteShopToDevStore(data.shop.domain, store.url);
// The demo merchant chose the top plan before opening the app (a test charge, in its trial), so
// every feature is on; the install reads the plan from the store's active subscriptions.
const demoPlan = PLANS[PLANS.length - 1] as Plan;
store.store.billing.approve(
  store.store.billing.create({
    name: demoPlan.name,
    returnUrl: `${appUrl}/app/plans`,
    test: true,
    trialDays: demoPlan.trialDays,
    replacementBehavior: "STANDARD",
    lineItems: [
      {
        amount: demoPlan.monthlyPriceUsd.toFixed(2),
        currencyCode: "USD",
        interval: "EVERY_30_DAYS",
      },
    ],
  }).id,
);

const { startAppServer } = await import("./server");
const { getDatabase } = await import("~/db.server");
const { loadEnvOrExit, migrateDatabase } = await import("~/server/boot.server");
// The embedded database opens and migrates in this process while the build runs in its own,
// and the app's heaviest packages load, so the app starts sooner once the build is done.
await migrateDatabase(loadEnvOrExit());
await preloadServerBuildPackages();
const built = await build;
const app = await startAppServer({
  mode,
  port: appPort,
  migrate: false,
  middleware: [embedInDevStore(store.url)],
});
// Seconds from the process's start at which each step was done: what someone who typed
// `npm run demo` waited, and for what.
const readyAt = { appStarted: process.uptime(), synced: 0, winback: 0 };

// Opening the app from the admin is what installs it: the first embedded request carries a
// session token, the app exchanges it for an offline token and starts its backfill.
const installResponse = await fetch(
  await embeddedAppUrl({ appUrl, shop: data.shop.domain, app: DEMO_APP }),
  // What the admin's iframe sends; the library turns away requests that look like bots.
  {
    headers: {
      "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36",
    },
  },
);
if (!installResponse.ok) {
  throw new Error(`installing the app failed: HTTP ${installResponse.status}`);
}
const sql = getDatabase().sql;
const summary = await waitForBackfill();
readyAt.synced = process.uptime();
// Win-back emails go to a local SMTP sink and land in this folder as .eml files.
const mailFolder = path.join(dataDir, "demo-mail");
const { startDemoMail } = await import("./demo-mail");
const demoMail = await startDemoMail(sql, data.shop, mailFolder);
// A starter win-back rule, run by the background runner like any merchant's rule.
const { startDemoWinbackRule, waitForDemoWinbackRun } = await import("./demo-winback");
const shopRow = await sql.query<{ id: number }>(`SELECT id FROM shop WHERE domain = $1`, [
  data.shop.domain,
]);
const ruleId = await startDemoWinbackRule(sql, shopRow.rows[0]?.id ?? 0);
// Storefront browsing as the web pixel would have recorded it, up to the store's history end.
const { seedDemoBrowsing } = await import("./demo-browsing");
const browsingViews = await seedDemoBrowsing(sql, shopRow.rows[0]?.id ?? 0, data, {
  seed: Number(args.seed),
  endDate,
});
const offerCustomers = await waitForDemoWinbackRun(sql, ruleId);
// The five flow templates, and the post-purchase flow turned on: its emails land in the sink.
const { startDemoFlows } = await import("./demo-flows");
await startDemoFlows(sql, shopRow.rows[0]?.id ?? 0);
readyAt.winback = process.uptime();
// The development server compiles a route on its first request; have the storefront's proxy
// route compiled now rather than while the first shopper's block waits for it.
if (mode === "development") {
  await fetch(`${store.url}/apps/rekindle/recommendations?limit=1`).catch(() => undefined);
}
const seconds = (value: number) => `${value.toFixed(1)} s`;
const builtNote =
  built.ran.length > 0 ? `; ${built.ran.join(" and ")} took ${seconds(built.seconds)}` : "";

process.stdout.write(
  [
    "",
    `Rekindle demo is running (${summary}, ${mode} build).`,
    `  Ready in ${seconds(process.uptime())} (app started at ${seconds(readyAt.appStarted)}${builtNote},` +
      ` store synced and scored at ${seconds(readyAt.synced)}, first win-back run at ${seconds(readyAt.winback)}).`,
    `  Store history: ${data.orders.length} orders up to ${endDate.toISOString().slice(0, 10)}, ${browsingViews} product views generated for the web pixel's tables.`,
    `  Admin (app embedded):  ${store.url}/admin`,
    `  Plan:                  ${demoPlan.name}, a test charge in its ${demoPlan.trialDays}-day trial (${store.url}/admin/apps/rekindle/plans)`,
    `  Storefront:            ${store.url}/`,
    `  Web pixel:             ${pixelLine()}`,
    ...offerCustomers.map(
      (id) =>
        `  Win-back banner:       ${store.url}/account/login?customer_id=${id} (win-back offer)`,
    ),
    `  App directly:          ${appUrl}`,
    `  Emails sent (.eml):    ${mailFolder} (win-back, and the "Post-purchase cross-sell" flow)`,
    `  Flows (5 templates):   ${store.url}/admin/apps/rekindle/flows`,
    `  Data: ${dataDir} (reused next time; npm run demo -- --reset starts over)`,
    "Press Ctrl-C to stop.",
    "",
  ].join("\n"),
);
process.stdout.write("DEMO_READY\n");

/** Where the storefront's pixel sends shoppers' browsing, as the install activated it. */
function pixelLine(): string {
  const settings = store.store.webPixel.settings;
  return settings
    ? `on, sending to ${settings.ingestUrl} once a shopper accepts the consent banner`
    : "off (the install could not activate it; see the log)";
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await settleWebhooks();
  await app.close();
  await demoMail.close();
  await store.close();
  restoreFetch();
  await sql.close();
  process.stdout.write("demo stopped\n");
  process.exit(0);
}
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());

async function waitForBackfill(): Promise<string> {
  for (;;) {
    const { rows } = await sql.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM sync_job WHERE kind = 'backfill' GROUP BY status`,
    );
    const unfinished = rows.filter((row) => !["done", "failed"].includes(row.status));
    // The job runner computes customer analytics and the recommendation model right after
    // the backfill; wait for both too.
    const analytics = await sql.query(
      `SELECT 1 FROM shop_analytics a JOIN recommendation_model r ON r.shop_id = a.shop_id
       WHERE a.recompute_requested = false`,
    );
    if (rows.length > 0 && unfinished.length === 0 && analytics.rows.length > 0) {
      const counts = await sql.query<{ customers: number; orders: number; products: number }>(
        `SELECT (SELECT count(*)::int FROM customer) AS customers,
                (SELECT count(*)::int FROM "order") AS orders,
                (SELECT count(*)::int FROM product) AS products`,
      );
      const row = counts.rows[0];
      return `${row?.customers} customers, ${row?.orders} orders, ${row?.products} products synced, analytics computed`;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Lets webhooks already under way land before stopping (an order placed a moment before Ctrl-C
 * is in the database afterwards): waits, briefly, for the store's queue and the app's inbox.
 */
async function settleWebhooks(timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await sql.query(
      `SELECT 1 FROM webhook_inbox WHERE status NOT IN ('done', 'dead') LIMIT 1`,
    );
    if (store.webhooks.pending === 0 && rows.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
