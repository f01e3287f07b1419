import type { SqlClient } from "~/lib/database-adapter.server";
import { markCustomersDirty } from "~/services/analytics/dirty-customers.server";
import {
  customerFromGraphql,
  lineItemFromGraphql,
  orderFromGraphql,
  parseGid,
  productFromGraphql,
  variantFromGraphql,
} from "./graphql-records";
import type {
  CustomerRecord,
  OrderLineRecord,
  OrderRecord,
  ProductRecord,
  VariantRecord,
} from "./records";
import {
  writeCustomers,
  writeOrderLines,
  writeOrders,
  writeProducts,
  writeVariants,
} from "./write-records.server";

export interface BulkLoadProgress {
  /** Lines read and committed so far; a resumed load skips this many. */
  linesCommitted: number;
}

export interface BulkLoadOptions {
  /** Lines per transaction. */
  batchSize?: number;
  /** Lines already committed by an earlier, interrupted run. */
  skipLines?: number;
  /** Called after each committed batch (inside nothing: progress is best effort). */
  onProgress?: (progress: BulkLoadProgress) => Promise<void> | void;
  /**
   * Mark the written customers' metrics for recompute (reconciliation repairs). A backfill
   * leaves this off: a full recompute follows it.
   */
  markMetricsDirty?: boolean;
}

interface Pending {
  customers: CustomerRecord[];
  products: ProductRecord[];
  variants: Array<VariantRecord & { productId: bigint }>;
  orders: OrderRecord[];
  lines: Array<OrderLineRecord & { orderId: bigint }>;
}

const emptyPending = (): Pending => ({
  customers: [],
  products: [],
  variants: [],
  orders: [],
  lines: [],
});

/**
 * Streams a bulk operation's JSONL result into the database, one batch at a time: memory
 * stays flat however large the file. Child objects (line items, variants) carry
 * `__parentId` and may arrive in a later batch than their parent; each is written on its
 * own, so batch boundaries never matter. A crash loses at most the batch in flight, and the
 * resumed run skips what was committed.
 */
export async function loadBulkJsonl(
  sql: SqlClient,
  shopId: number,
  lines: AsyncIterable<string>,
  options: BulkLoadOptions = {},
): Promise<BulkLoadProgress> {
  const batchSize = options.batchSize ?? 10_000;
  const skip = options.skipLines ?? 0;
  let lineNumber = 0;
  let pending = emptyPending();
  let pendingLines = 0;
  // One batch is written while the next is parsed; commits stay in file order.
  let inFlight: Promise<void> = Promise.resolve();

  const write = async (batch: Pending, committedThrough: number) => {
    await sql.transaction(async (tx) => {
      // A lost batch is re-read from the file on resume, so it need not wait for the WAL flush.
      await tx.exec("SET LOCAL synchronous_commit TO off");
      await writeCustomers(tx, shopId, batch.customers);
      await writeProducts(tx, shopId, batch.products, { replaceVariants: false });
      await writeVariants(tx, shopId, batch.variants);
      await writeOrders(tx, shopId, batch.orders, { replaceLines: false });
      await writeOrderLines(tx, shopId, batch.lines);
      if (options.markMetricsDirty) {
        await markCustomersDirty(tx, shopId, {
          customerIds: batch.customers.map((customer) => customer.id),
          orderIds: [
            ...batch.orders.map((order) => order.id),
            ...batch.lines.map((line) => line.orderId),
          ],
        });
      }
    });
    await options.onProgress?.({ linesCommitted: committedThrough });
  };
  const flush = async () => {
    const batch = pending;
    pending = emptyPending();
    pendingLines = 0;
    await inFlight;
    inFlight = write(batch, lineNumber);
  };

  try {
    for await (const raw of lines) {
      if (raw.trim() === "") continue;
      lineNumber += 1;
      if (lineNumber <= skip) continue;
      addLine(pending, JSON.parse(raw) as Record<string, unknown>);
      pendingLines += 1;
      if (pendingLines >= batchSize) await flush();
    }
    if (pendingLines > 0) await flush();
  } finally {
    // Never leave a write running behind a failure: it settles (or fails) before we return.
    await inFlight.catch(() => undefined);
  }
  await inFlight;
  return { linesCommitted: lineNumber };
}

function addLine(pending: Pending, object: Record<string, unknown>) {
  const { type } = parseGid(String(object.id));
  const parentId =
    typeof object.__parentId === "string" ? parseGid(object.__parentId).id : undefined;
  switch (type) {
    case "Customer":
      pending.customers.push(customerFromGraphql(object));
      return;
    case "Product":
      pending.products.push(productFromGraphql(object));
      return;
    case "ProductVariant":
      if (parentId === undefined) throw new Error("variant line without __parentId");
      pending.variants.push({ ...variantFromGraphql(object), productId: parentId });
      return;
    case "Order":
      pending.orders.push(orderFromGraphql(object));
      return;
    case "LineItem":
      if (parentId === undefined) throw new Error("line item without __parentId");
      pending.lines.push({ ...lineItemFromGraphql(object), orderId: parentId });
      return;
    default:
      throw new Error(`unexpected object in bulk result: ${type}`);
  }
}
