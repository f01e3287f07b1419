/**
 * Storefront recommendation endpoint under load: the app proxy route's loader (signature check,
 * shop lookup, recommender, JSON) called in process at a fixed arrival rate, on a scratch
 * database on the real PostgreSQL server with a synthetic shop (2,000 products, ~5k customers'
 * orders). The mix is what storefronts send: mostly anonymous product pages, some carts, some
 * logged-in shoppers (personal, never cached). Latency is measured from each request's scheduled
 * start, so a stall that delays later requests counts against them (no coordinated omission).
 *
 *   node --import tsx bench/recommendations-proxy.ts [rate=300] [seconds=30]
 */
import { resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { applyMigrations } from "../app/lib/migrations.server";
import { percentile } from "./lib/percentile";
import { seedRecommendationBenchShop } from "./lib/recommendation-shop";
import { seededRandom } from "../tests/devstore/seeded-random";
import { signAppProxyQuery } from "../tests/devstore/signing";
// Not ./lib/postgres: it loads the test database helpers, which open the app's database on
// import, before DATABASE_URL could point it at the scratch database.
import { createScratchPostgresDatabase } from "../tests/helpers/scratch-postgres";

const SHOP = "bench-recs.myshopify.com";
const SECRET = "bench-secret";
const PRODUCTS = 2000;
const CUSTOMERS = 5000;
const WARM_UP_SECONDS = 5;

export interface RecommendationsProxyFigures {
  targetRate: number;
  seconds: number;
  sent: number;
  errors: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  anonymousProductP99Ms: number;
  cartP99Ms: number;
  personalP99Ms: number;
  /** Signed-in requests whose list came from bestsellers (the shop's plan has personal picks). */
  personalAnsweredByBestsellers: number;
  personalRequests: number;
  /** How late the event loop ran its timers (p99): time every request in flight waited on CPU. */
  eventLoopDelayP99Ms: number;
  modelBuildMs: number;
}

type Kind = "product" | "cart" | "personal";

export async function benchRecommendationsProxy(
  rate: number,
  seconds: number,
): Promise<RecommendationsProxyFigures> {
  const scratch = await createScratchPostgresDatabase();
  // The app modules read their configuration at import time, so it is set before they load.
  Object.assign(process.env, {
    DATABASE_URL: scratch.url,
    PGLITE_DATA_DIR: "",
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://rekindle.bench",
    SCOPES: "read_orders,read_products",
    LOG_LEVEL: "warn",
  });
  try {
    const { getDatabase } = await import("../app/db.server");
    const { sql, prisma } = getDatabase();
    await applyMigrations(sql);
    // After the migrations: the route loads Shopify's session storage, which checks its table.
    const { rebuildRecommendationModel } =
      await import("../app/services/recommendations/model-store.server");
    const { loader } = await import("../app/routes/proxy.$");
    const { subscribeShop } = await import("../tests/helpers/app-plan");
    const {
      rows: [shop],
    } = await sql.query<{ id: number }>(
      `INSERT INTO shop (domain, updated_at) VALUES ($1, now()) RETURNING id`,
      [SHOP],
    );
    const shopId = shop?.id ?? 0;
    // Personalized answers are a paid feature: the shop is on the plan that has them.
    await subscribeShop(sql, shopId, "Pro");
    await seedRecommendationBenchShop(sql, shopId, PRODUCTS, CUSTOMERS);
    const build = await rebuildRecommendationModel(sql, shopId);
    // Random baskets carry no taste, so training rightly serves bestsellers here; the bench
    // measures the dearest path instead: every placement blends every signal.
    const { serveWithPolicy } =
      await import("../app/services/recommendations/testing/serving-policy");
    const { POLICY_KEYS } = await import("../app/services/recommendations/model/placements");
    const { SIGNALS } = await import("../app/services/recommendations/model/signals");
    const everySignal = Object.fromEntries(SIGNALS.map((signal) => [signal, 1]));
    await serveWithPolicy(
      sql,
      shopId,
      Object.fromEntries(POLICY_KEYS.map((key) => [key, everySignal])),
    );
    // A live shop's tables have planner statistics and a visibility map (autovacuum keeps them).
    // A server may run without autovacuum (this machine's and CI's do), and the rows just loaded
    // would then be planned as if the tables were empty for the whole measurement.
    await sql.exec("VACUUM ANALYZE");

    const random = seededRandom(7);
    const pick = (n: number) => 1 + Math.floor(n * random() ** 2);
    const urlFor = (kind: Kind): string => {
      const query = new URLSearchParams({ limit: "8" });
      let customer: string | null = null;
      if (kind === "product") {
        query.set("product_id", String(pick(PRODUCTS)));
        query.set("context", "product");
      } else if (kind === "cart") {
        query.set("product_ids", `${pick(PRODUCTS)},${pick(PRODUCTS)}`);
        query.set("context", "cart");
      } else {
        customer = String(1 + Math.floor(random() * CUSTOMERS));
        query.set("context", "home");
      }
      const signed = signAppProxyQuery({
        query,
        shop: SHOP,
        pathPrefix: "/apps/rekindle",
        loggedInCustomerId: customer,
        secret: SECRET,
      });
      return `https://rekindle.bench/proxy/recommendations?${signed.toString()}`;
    };
    const kindOf = (n: number): Kind =>
      n % 10 < 8 ? "product" : n % 10 === 8 ? "cart" : "personal";

    /** Sends `rate` requests a second for `seconds` on a fixed schedule; returns latencies. */
    const runPhase = async (phaseSeconds: number) => {
      const latencies: Record<Kind, number[]> = { product: [], cart: [], personal: [] };
      let errors = 0;
      let personalFromBestsellers = 0;
      const total = Math.round(rate * phaseSeconds);
      // Signed up front (well within the signature's 90 s validity), so the load generator's
      // own HMACs do not take the measured process's CPU time from the handler.
      const urls = Array.from({ length: total }, (_, n) => urlFor(kindOf(n)));
      const started = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let n = 0; n < total; n++) {
        const scheduled = started + (n * 1000) / rate;
        const wait = scheduled - performance.now();
        if (wait > 1) await new Promise((done) => setTimeout(done, wait));
        const kind = kindOf(n);
        const request = new Request(urls[n] ?? "");
        inFlight.push(
          (async () => {
            try {
              const response = await loader({
                request,
                params: { "*": "recommendations" },
                context: {},
              });
              const body = (await response.json()) as { products?: unknown[]; source?: string };
              if (response.status !== 200 || !Array.isArray(body.products)) errors++;
              if (kind === "personal" && body.source === "popular") personalFromBestsellers++;
            } catch {
              errors++;
            }
            latencies[kind].push(performance.now() - scheduled);
          })(),
        );
      }
      await Promise.all(inFlight);
      return {
        latencies,
        errors,
        personalFromBestsellers,
        total,
        elapsed: (performance.now() - started) / 1000,
      };
    };
    // Warm-up (JIT, connection pool, in-process cache), not measured, as the ingest bench does.
    await runPhase(WARM_UP_SECONDS);
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const { latencies, errors, personalFromBestsellers, total, elapsed } = await runPhase(seconds);
    loopDelay.disable();
    const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
    const all = sorted(Object.values(latencies).flat());
    const round = (ms: number) => Math.round(ms * 10) / 10;
    await prisma.$disconnect();
    await sql.close();
    return {
      targetRate: rate,
      seconds,
      sent: total,
      errors,
      achievedRate: Math.round(total / elapsed),
      p50Ms: round(percentile(all, 50)),
      p99Ms: round(percentile(all, 99)),
      anonymousProductP99Ms: round(percentile(sorted(latencies.product), 99)),
      cartP99Ms: round(percentile(sorted(latencies.cart), 99)),
      personalP99Ms: round(percentile(sorted(latencies.personal), 99)),
      personalAnsweredByBestsellers: personalFromBestsellers,
      personalRequests: latencies.personal.length,
      eventLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6),
      modelBuildMs: build.buildMs,
    };
  } finally {
    await scratch.drop();
  }
}

/** Catalogue, a year of orders, and lifecycle stages for every customer. */
if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? "")).href) {
  const rate = Number(process.argv[2] ?? 300);
  const seconds = Number(process.argv[3] ?? 30);
  const figures = await benchRecommendationsProxy(rate, seconds);
  console.log(
    `recommendations proxy, ${rate} req/s for ${seconds} s (target: p99 < 5 ms at 300 req/s)`,
  );
  console.table([figures]);
  // The smoke run in CI fails on errors, not on timing.
  if (figures.errors > 0 || figures.sent === 0) process.exitCode = 1;
}
