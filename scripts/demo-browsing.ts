/**
 * The demo's storefront browsing: what the web pixel would have recorded for the simulated
 * store's customers and visitors (tests/devstore/generator/browsing.ts), written into
 * pixel_event and pixel_visitor once the store is synced, so the "Recently viewed" block, the
 * customer timeline and the dashboard's viewed-not-bought have something to show. Event ids and
 * times are the same on every run of a data folder, so a restarted demo adds nothing twice.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import {
  insertPixelEvents,
  insertPixelVisitors,
} from "~/services/behaviour/testing/pixel-event-rows";
import type { StoreData } from "../tests/devstore/model";
import { generateBrowsing } from "../tests/devstore/generator/browsing";
import { seededRandom } from "../tests/devstore/seeded-random";

/** Writes the generated browsing; returns how many views it holds. */
export async function seedDemoBrowsing(
  sql: SqlQueryable,
  shopId: number,
  data: StoreData,
  options: { seed: number; endDate: Date },
): Promise<number> {
  const { views, visitors } = generateBrowsing(data, {
    random: seededRandom(options.seed),
    endDate: options.endDate,
  });
  await insertPixelVisitors(sql, shopId, visitors);
  await insertPixelEvents(sql, shopId, views);
  return views.length;
}
