/**
 * Reads a store's order lines from CSV (optionally gzipped) with the header
 *   customer_id,order_id,product_id,ordered_at,quantity,unit_price
 * in any column order; extra columns are ignored. Rows that cannot be a purchase are counted
 * by reason and skipped, never fatal: a missing customer, order or product, a time that is not
 * ISO 8601, a quantity that is not a positive number (returns and adjustments).
 */
import { parse } from "csv-parse";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import type { Purchase } from "../../app/services/recommendations/model/types";

export const ORDER_CSV_COLUMNS = [
  "customer_id",
  "order_id",
  "product_id",
  "ordered_at",
  "quantity",
  "unit_price",
] as const;

const REQUIRED = ["customer_id", "order_id", "product_id", "ordered_at", "quantity"] as const;

export type SkipReason =
  | "unreadable row"
  | "no customer"
  | "no order"
  | "no product"
  | "time not ISO 8601"
  | "quantity not positive";

export interface OrdersCsv {
  purchases: Purchase[];
  rows: number;
  skipped: Map<SkipReason, number>;
}

export class OrdersCsvHeaderError extends Error {}

/** ISO 8601 / RFC 3339 date or date-time; a space may stand for T; no offset reads as UTC. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

export function parseIsoTime(value: string): Date | null {
  const match = ISO_TIME.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "0", zone] = match;
  const ms = Math.round(Number(`0.${fraction}`) * 1000);
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const date = new Date(time);
  // Date.UTC rolls 2024-02-31 over into March; a real calendar date survives the round trip.
  const valid =
    Number.isFinite(time) &&
    new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(s) < 61;
  return valid ? date : null;
}

export async function readOrdersCsv(file: string): Promise<OrdersCsv> {
  const input = createReadStream(file);
  const parser = parse({
    bom: true,
    columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    trim: true,
  });
  const skipped = new Map<SkipReason, number>();
  const skip = (reason: SkipReason) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  parser.on("skip", () => skip("unreadable row"));
  (file.endsWith(".gz") ? input.pipe(createGunzip()) : input).pipe(parser);

  const purchases: Purchase[] = [];
  let rows = 0;
  let checkedHeader = false;
  for await (const record of parser as AsyncIterable<Record<string, string | undefined>>) {
    if (!checkedHeader) {
      const missing = REQUIRED.filter((column) => !(column in record));
      if (missing.length > 0) {
        throw new OrdersCsvHeaderError(
          `${file}: the header lacks ${missing.join(", ")} (expected ${ORDER_CSV_COLUMNS.join(",")})`,
        );
      }
      checkedHeader = true;
    }
    rows++;
    const customerId = record.customer_id ?? "";
    const orderId = record.order_id ?? "";
    const productId = record.product_id ?? "";
    const at = parseIsoTime(record.ordered_at ?? "");
    const quantity = Number(record.quantity);
    if (!customerId) skip("no customer");
    else if (!orderId) skip("no order");
    else if (!productId) skip("no product");
    else if (!at) skip("time not ISO 8601");
    else if (!(quantity > 0) || !Number.isFinite(quantity)) skip("quantity not positive");
    else purchases.push({ customerId, orderId, productId, at, quantity });
  }
  return { purchases, rows: rows + (skipped.get("unreadable row") ?? 0), skipped };
}
