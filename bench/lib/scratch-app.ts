/**
 * For benches that run the app's own modules on a scratch database on the PostgreSQL server:
 * the app's configuration pointed at it (set before any app module loads, as they read it at
 * import time) and migrated, and the shop set-up the branded-email benches share. Imports no
 * app database module itself, for that reason.
 */
import { applyMigrations } from "../../app/lib/migrations.server";
import type { SqlClient } from "../../app/lib/database-adapter.server";
import { createScratchPostgresDatabase } from "../../tests/helpers/scratch-postgres";

/**
 * A migrated scratch database the app's database module opens (`env` adds to or overrides the
 * bench configuration); `drop` removes it.
 */
export async function openScratchApp(env: Record<string, string> = {}) {
  const scratch = await createScratchPostgresDatabase();
  Object.assign(process.env, {
    DATABASE_URL: scratch.url,
    PGLITE_DATA_DIR: "",
    SHOPIFY_API_KEY: "bench-key",
    SHOPIFY_API_SECRET: "bench-secret",
    SHOPIFY_APP_URL: "https://rekindle.bench",
    SCOPES: "read_orders,read_products",
    LOG_LEVEL: "warn",
    ...env,
  });
  try {
    const { getDatabase } = await import("../../app/db.server");
    const database = getDatabase();
    await applyMigrations(database.sql);
    return { database, drop: scratch.drop };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

/**
 * The dearest branded email: a trained model (random baskets carry no taste, so training
 * rightly serves bestsellers; every placement blends every signal instead) and the shop's
 * template with a four-product block and a logo.
 */
export async function prepareBrandedEmailShop(sql: SqlClient, shopId: number): Promise<void> {
  const { rebuildRecommendationModel } =
    await import("../../app/services/recommendations/model-store.server");
  await rebuildRecommendationModel(sql, shopId);
  const { serveWithPolicy } =
    await import("../../app/services/recommendations/testing/serving-policy");
  const { POLICY_KEYS } = await import("../../app/services/recommendations/model/placements");
  const { SIGNALS } = await import("../../app/services/recommendations/model/signals");
  const everySignal = Object.fromEntries(SIGNALS.map((signal) => [signal, 1]));
  await serveWithPolicy(
    sql,
    shopId,
    Object.fromEntries(POLICY_KEYS.map((key) => [key, everySignal])),
  );
  const { saveEmailTemplate } =
    await import("../../app/services/email/templates/template-store.server");
  const { DEFAULT_TEMPLATE } = await import("../../app/services/email/templates/template-document");
  await saveEmailTemplate(sql, shopId, {
    ...DEFAULT_TEMPLATE,
    productCount: 4,
    brand: { ...DEFAULT_TEMPLATE.brand, logoUrl: "https://cdn.bench.example/logo.png" },
  });
}
