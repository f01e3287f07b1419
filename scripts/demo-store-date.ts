import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { FIXED_END_DATE, startOfTodayUtc } from "../tests/devstore/generator/generate-store";

const FILE = "store.json";

/**
 * The day the demo store's history ends. A new data folder takes today, so the store looks
 * current (recent buyers are active, not lapsed); the folder keeps that day, because the app's
 * database there holds what it synced and the store regenerated on a later run must be the
 * same store. `--reset` starts a new folder and so a store ending on the new day. A folder
 * from before the date was kept holds a store that ended on the generator's old fixed date.
 */
export function demoStoreEndDate(dataDir: string, today = startOfTodayUtc()): Date {
  const kept = readDemoStoreEndDate(dataDir);
  if (kept) return kept;
  const endDate = existsSync(path.join(dataDir, "pglite")) ? FIXED_END_DATE : today;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, FILE), `${JSON.stringify({ endDate }, null, 2)}\n`);
  return endDate;
}

/** The end date a data folder keeps, or null when it keeps none yet. */
export function readDemoStoreEndDate(dataDir: string): Date | null {
  const file = path.join(dataDir, FILE);
  if (!existsSync(file)) return null;
  const { endDate } = JSON.parse(readFileSync(file, "utf8")) as { endDate: string };
  return new Date(endDate);
}
