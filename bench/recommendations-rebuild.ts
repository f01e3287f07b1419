/**
 * The nightly recommendation rebuild at merchant scale on real PostgreSQL: load a generated shop
 * (`customers` customers, about `orders` orders over two years), then time
 * rebuildRecommendationModel — read the purchases, train (fit, tune every placement on the
 * second-to-last orders, score the last ones), fit the served model on everything and store it.
 *
 *   node --expose-gc --import tsx bench/recommendations-rebuild.ts [customers] [orders]
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { rebuildRecommendationModel } from "../app/services/recommendations/model-store.server";
import { loadModelHeader } from "../app/services/recommendations/model-reader.server";
import { scratchDatabase } from "./lib/postgres";
import { loadGeneratedShop } from "./lib/shop-data";

export interface RebuildFigures {
  customers: number;
  orders: number;
  loadSeconds: number;
  rebuildSeconds: number;
  /** Fitting, tuning and scoring alone (the rest is reading orders and writing the model). */
  buildSeconds: number;
  peakRssMb: number;
  forYouLive: string;
}

export async function benchRecommendationRebuild(
  customers: number,
  targetOrders: number,
): Promise<RebuildFigures> {
  const db = await scratchDatabase();
  try {
    const asOf = new Date("2026-11-01T00:00:00Z");
    const { shopId, loadSeconds } = await loadGeneratedShop(db.sql, {
      domain: "bench-rebuild.myshopify.com",
      customers,
      targetOrders,
      asOf,
    });
    const {
      rows: [counts],
    } = await db.sql.query<{ orders: number }>(
      `SELECT count(*)::int AS orders FROM "order" WHERE shop_id = $1`,
      [shopId],
    );
    globalThis.gc?.();
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 50);
    const started = performance.now();
    const result = await rebuildRecommendationModel(db.sql, shopId, asOf);
    const rebuildSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const header = await loadModelHeader(db.sql, shopId);
    const live = header?.training?.placements.for_you?.live;
    return {
      customers,
      orders: counts?.orders ?? 0,
      loadSeconds: Math.round(loadSeconds * 10) / 10,
      rebuildSeconds: Math.round(rebuildSeconds * 10) / 10,
      buildSeconds: Math.round(result.buildMs / 100) / 10,
      peakRssMb: Math.round(peakRss / 1024 / 1024),
      forYouLive: typeof live === "string" ? live : "untrained",
    };
  } finally {
    await db.drop();
  }
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? "")).href) {
  const [customers = "200000", orders = "1000000"] = process.argv.slice(2);
  console.log(
    "recommendation rebuild with tuning (target: 200k customers / 1M orders < 60 s, RSS < 1 GB)",
  );
  console.table([await benchRecommendationRebuild(Number(customers), Number(orders))]);
  process.exit(0);
}
