import { createReadStream, createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { createGunzip, createGzip } from "node:zlib";
import { purchasesFromOrders } from "../app/services/recommendations/model/order-purchases";
import type { Purchase } from "../app/services/recommendations/model/types";
import { FIXED_END_DATE, generateStore } from "../tests/devstore/generator/generate-store";
import { ORDER_CSV_COLUMNS } from "./lib/orders-csv";

// node --import tsx bench/export-orders-csv.ts groceries|devstore OUT.csv[.gz] [--orders N]
// Writes a dataset in the order-lines CSV the evaluation reads (`--orders FILE`), so the
// groceries data and the generated dev store go through the same command as any store's export.

const GROCERIES = new URL(
  "../../shared/data/groceries-member-transactions/groceries_dataset.csv.gz",
  import.meta.url,
);

/** Member_number,Date (DD-MM-YYYY),itemDescription; a basket is one member on one date. */
async function* groceries(): AsyncGenerator<Purchase> {
  const lines = createInterface({
    input: createReadStream(GROCERIES).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  let header = true;
  for await (const line of lines) {
    if (header) {
      header = false;
      continue;
    }
    const [member, date, item] = line.split(",");
    const [day, month, year] = (date ?? "").split("-").map(Number);
    if (!member || !item || !day || !month || !year) continue;
    yield {
      customerId: member,
      orderId: `${member}-${date}`,
      productId: item.trim(),
      at: new Date(Date.UTC(year, month - 1, day)),
      quantity: 1,
    };
  }
}

function* devstore(orders: number): Generator<Purchase> {
  // The same deterministic store the dev tooling seeds; guest orders have no customer to score.
  for (const purchase of purchasesFromOrders(
    generateStore({ seed: 1, orders, endDate: FIXED_END_DATE }).orders,
  )) {
    if (purchase.customerId !== null) yield purchase;
  }
}

const csvField = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

async function main(): Promise<void> {
  const [dataset, out] = process.argv.slice(2);
  const at = process.argv.indexOf("--orders");
  const orders = at > 0 ? Number(process.argv[at + 1]) : 20_000;
  if ((dataset !== "groceries" && dataset !== "devstore") || !out) {
    console.error("usage: export-orders-csv.ts groceries|devstore OUT.csv[.gz] [--orders N]");
    process.exit(2);
  }
  await mkdir(dirname(out), { recursive: true });
  const file = createWriteStream(out);
  const sink = out.endsWith(".gz") ? createGzip() : null;
  sink?.pipe(file);
  const write = (line: string) => (sink ?? file).write(`${line}\n`);
  write(ORDER_CSV_COLUMNS.join(","));
  let lines = 0;
  const source = dataset === "groceries" ? groceries() : devstore(orders);
  for await (const p of source) {
    write(
      [p.customerId ?? "", p.orderId, p.productId, p.at.toISOString(), p.quantity, ""]
        .map(String)
        .map(csvField)
        .join(","),
    );
    lines++;
  }
  await new Promise<void>((resolve) => (sink ?? file).end(resolve));
  if (sink) await new Promise<void>((resolve) => file.on("close", () => resolve()));
  console.log(`${dataset}: ${lines} order lines written to ${out}`);
}

await main();
