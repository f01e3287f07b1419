/**
 * Branded email render time per customer: renderCustomerEmail (template, shop details, the
 * customer's facts and last order, the served recommendations, react-email's HTML and the text
 * part) for customers one after another, as a sending run does, on a scratch database on the
 * real PostgreSQL server with a generated shop (2,000 products, ~5k customers' order histories,
 * a trained recommendation model serving every signal). Prints p50/p99 and the machine's load
 * average, since the machine is shared. Target: p99 < 20 ms.
 *
 *   node --import tsx bench/email-render.ts [renders=2000] [customers=5000]
 */
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { SqlClient } from "../app/lib/database-adapter.server";
import { percentile } from "./lib/percentile";
import { seedRecommendationBenchShop } from "./lib/recommendation-shop";
// Not ./lib/postgres: it loads the test database helpers, which open the app's database on
// import, before DATABASE_URL could point it at the scratch database.
import { openScratchApp, prepareBrandedEmailShop } from "./lib/scratch-app";

const PRODUCTS = 2000;
const LOCALES = ["en", "tr-TR", "zh-CN", "fa", "fr", null];

export interface EmailRenderFigures {
  customers: number;
  renders: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Renders whose product block had products (the rest left it out). */
  withProducts: number;
  meanHtmlKb: number;
  /** 1, 5 and 15 minute load averages of the machine when the measurement ended. */
  loadAverage: string;
}

export async function benchEmailRender(
  renders: number,
  customers: number,
): Promise<EmailRenderFigures> {
  const { database, drop } = await openScratchApp();
  try {
    const { sql, prisma } = database;
    const {
      rows: [shop],
    } = await sql.query<{ id: number }>(
      `INSERT INTO shop (domain, name, updated_at) VALUES ('bench-email.myshopify.com', 'Bench & Co', now())
       RETURNING id`,
    );
    const shopId = shop?.id ?? 0;
    const { subscribeShop } = await import("../tests/helpers/app-plan");
    // Personal recommendations are a paid feature: the shop is on the plan that has them.
    await subscribeShop(sql, shopId, "Pro");
    await seedShop(sql, shopId, customers);
    await prepareBrandedEmailShop(sql, shopId);
    // See bench/recommendations-proxy.ts: without autovacuum the fresh rows lack statistics.
    await sql.exec("VACUUM ANALYZE");

    const { renderCustomerEmail } =
      await import("../app/services/email/templates/render-customer-email.server");
    const now = new Date();
    const offer = {
      code: "COMEBACK-BENCH",
      discountText: "15% off your next order",
      expiresAt: new Date(now.getTime() + 14 * 86_400_000),
    };
    const renderOne = (customerId: number) =>
      renderCustomerEmail({
        sql,
        shopId,
        customerId: BigInt(customerId),
        message: {
          subject: "{{first_name}}, {{discount}}",
          body: "Use {{code}} by {{expires_on}}.",
        },
        offer,
        now,
      });
    // Warm-up: module loading, JIT and the first pool connections are not a customer's cost.
    for (let n = 1; n <= Math.min(200, customers); n++) await renderOne(n);

    const times: number[] = [];
    let withProducts = 0;
    let htmlBytes = 0;
    for (let n = 0; n < renders; n++) {
      const customerId = 1 + ((n * 7919) % customers);
      const started = performance.now();
      const email = await renderOne(customerId);
      times.push(performance.now() - started);
      if (!email.omitted.includes("products")) withProducts += 1;
      htmlBytes += email.html.length;
    }
    times.sort((a, b) => a - b);
    await prisma.$disconnect();
    await sql.close();
    const round = (value: number) => Number(value.toFixed(2));
    return {
      customers,
      renders,
      p50Ms: round(percentile(times, 50)),
      p99Ms: round(percentile(times, 99)),
      maxMs: round(times[times.length - 1] ?? 0),
      withProducts,
      meanHtmlKb: round(htmlBytes / Math.max(1, renders) / 1024),
      loadAverage: loadavg()
        .map((value) => value.toFixed(2))
        .join(" "),
    };
  } finally {
    await drop();
  }
}

/** The generated shop, and its customers with names, addresses and languages. */
async function seedShop(sql: SqlClient, shopId: number, customers: number): Promise<void> {
  await seedRecommendationBenchShop(sql, shopId, PRODUCTS, customers);
  await sql.query(
    `INSERT INTO customer (shop_id, id, first_name, email, locale, email_marketing, created_at,
       shopify_updated_at)
     SELECT $1, c, 'Customer ' || c, 'c' || c || '@bench.example', ($3::text[])[1 + c % $4],
            'subscribed', '2024-01-01', '2024-01-01'
     FROM generate_series(1, $2::int) AS c`,
    [shopId, customers, LOCALES, LOCALES.length],
  );
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? "")).href) {
  const figures = await benchEmailRender(
    Number(process.argv[2] ?? 2000),
    Number(process.argv[3] ?? 5000),
  );
  console.log("branded email render per customer, recommendations included (target: p99 < 20 ms)");
  console.table([figures]);
  // The smoke run in CI fails on a harness that rendered nothing, not on timing.
  if (figures.renders === 0 || figures.withProducts === 0) process.exitCode = 1;
}
