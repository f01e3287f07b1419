import { z } from "zod";
import type { SqlClient, SqlTransaction } from "~/lib/database-adapter.server";
import { AppError } from "~/lib/errors";
import { markCustomersDirty } from "~/services/analytics/dirty-customers.server";
import { attributeOrders } from "~/services/analytics/email-attribution.server";
import { stagedBatches } from "./batch-source.server";
import {
  collectionFromGraphql,
  customerFromGraphql,
  lineItemFromGraphql,
  orderFromGraphql,
  parseGid,
  productFromGraphql,
  variantFromGraphql,
} from "./graphql-records";
import type {
  CollectionMemberRecord,
  CollectionRecord,
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
import { writeCollectionMembers, writeCollections } from "./write-collections.server";

export interface BulkLoadProgress {
  /** Lines read and committed so far; a resumed load skips this many. */
  linesCommitted: number;
}

/** A line of a bulk result that is not an object the app can store; the message says which. */
export class BulkResultLineError extends AppError {}

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
  collections: CollectionRecord[];
  collectionMembers: CollectionMemberRecord[];
}

const emptyPending = (): Pending => ({
  customers: [],
  products: [],
  variants: [],
  orders: [],
  lines: [],
  collections: [],
  collectionMembers: [],
});

/**
 * Streams a bulk operation's JSONL result into the database, one batch at a time: memory
 * stays flat however large the file. Each batch reaches the server by COPY into staging
 * tables, then the writers' usual ordering-safe upserts, so a replayed line changes nothing.
 *
 * A batch is written in two transactions on two connections, which the server runs on two
 * cores: the parents (customers, products, orders) and then the children (variants, line
 * items), whose foreign keys need their parents committed. The children of batch k are
 * written while the parents of batch k+1 are, and batch k+2 is parsed meanwhile. Children
 * carry `__parentId` and may arrive in a later batch than their parent, never an earlier one.
 * A batch counts as committed once both its halves are, in file order; a crash loses at most
 * the batches in flight, and the resumed run skips what was committed.
 */
export async function loadBulkJsonl(
  sql: SqlClient,
  shopId: number,
  lines: AsyncIterable<string>,
  options: BulkLoadOptions = {},
): Promise<BulkLoadProgress> {
  const batchSize = options.batchSize ?? 20_000;
  const skip = options.skipLines ?? 0;
  const { markMetricsDirty = false } = options;
  let lineNumber = 0;
  let pending = emptyPending();
  let pendingLines = 0;
  let parentsWritten: Promise<void> = Promise.resolve();
  let childrenWritten: Promise<void> = Promise.resolve();
  let progressReported: Promise<void> = Promise.resolve();
  const inFlight: Array<Promise<void>> = [];
  let failure: { error: unknown } | undefined;

  const flush = async () => {
    const batch = pending;
    const committedThrough = lineNumber;
    pending = emptyPending();
    pendingLines = 0;
    parentsWritten = parentsWritten.then(() =>
      writeInTransaction(sql, (tx) => writeParents(tx, shopId, batch, markMetricsDirty)),
    );
    childrenWritten = Promise.all([parentsWritten, childrenWritten]).then(() =>
      writeInTransaction(sql, (tx) => writeChildren(tx, shopId, batch, markMetricsDirty)),
    );
    progressReported = Promise.all([childrenWritten, progressReported]).then(() =>
      options.onProgress?.({ linesCommitted: committedThrough }),
    );
    const done = progressReported;
    // Seen by the parse loop at its next batch; the last one is awaited below.
    done.catch((error: unknown) => (failure ??= { error }));
    inFlight.push(done);
    // Back-pressure: at most two batches written while the next is parsed.
    if (inFlight.length > 2) await inFlight.shift()?.catch(() => undefined);
    if (failure) throw failure.error;
  };

  try {
    for await (const raw of lines) {
      if (raw.trim() === "") continue;
      lineNumber += 1;
      if (lineNumber <= skip) continue;
      addLine(pending, raw, lineNumber);
      pendingLines += 1;
      if (pendingLines >= batchSize) await flush();
    }
    if (pendingLines > 0) await flush();
  } finally {
    // Never leave a write running behind a failure: they settle (or fail) before we return.
    await Promise.allSettled(inFlight);
  }
  await progressReported;
  return { linesCommitted: lineNumber };
}

async function writeInTransaction(
  sql: SqlClient,
  work: (tx: SqlTransaction) => Promise<void>,
): Promise<void> {
  await sql.transaction(async (tx) => {
    // A lost batch is re-read from the file on resume, so it need not wait for the WAL flush.
    await tx.exec("SET LOCAL synchronous_commit TO off");
    await work(tx);
  });
}

async function writeParents(
  tx: SqlTransaction,
  shopId: number,
  batch: Pending,
  markMetricsDirty: boolean,
): Promise<void> {
  const source = stagedBatches(tx);
  await writeCustomers(tx, shopId, batch.customers, { source });
  await writeProducts(tx, shopId, batch.products, { replaceVariants: false, source });
  // Credited to emails by the webhook's rules: an order that reaches the app only by backfill
  // (a webhook lost, a re-sync) counts for the flow or rule that brought it, written once.
  await attributeOrders(
    tx,
    shopId,
    await writeOrders(tx, shopId, batch.orders, { replaceLines: false, source }),
  );
  await writeCollections(tx, shopId, batch.collections, { membersFollow: true, source });
  if (markMetricsDirty) {
    await markCustomersDirty(tx, shopId, {
      customerIds: batch.customers.map((customer) => customer.id),
      orderIds: batch.orders.map((order) => order.id),
    });
  }
}

async function writeChildren(
  tx: SqlTransaction,
  shopId: number,
  batch: Pending,
  markMetricsDirty: boolean,
): Promise<void> {
  const source = stagedBatches(tx);
  await writeVariants(tx, shopId, batch.variants, { source });
  await writeOrderLines(tx, shopId, batch.lines, { source });
  await writeCollectionMembers(tx, shopId, batch.collectionMembers, { source });
  if (markMetricsDirty) {
    await markCustomersDirty(tx, shopId, {
      customerIds: [],
      orderIds: batch.lines.map((line) => line.orderId),
    });
  }
}

function addLine(pending: Pending, raw: string, lineNumber: number) {
  let object: Record<string, unknown> | undefined;
  try {
    object = JSON.parse(raw) as Record<string, unknown>;
    addObject(pending, object);
  } catch (error) {
    const id = typeof object?.id === "string" ? ` (${object.id})` : "";
    throw new BulkResultLineError(`bulk result line ${lineNumber}${id}: ${describe(error)}`, {
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  if (error instanceof z.ZodError) {
    return error.issues
      .map(
        (issue) => `${issue.path.length > 0 ? issue.path.join(".") : "object"}: ${issue.message}`,
      )
      .join("; ");
  }
  if (error instanceof SyntaxError) return `not JSON (${error.message})`;
  return (error as Error).message;
}

function addObject(pending: Pending, object: Record<string, unknown>) {
  const { type } = parseGid(String(object.id));
  const parent = typeof object.__parentId === "string" ? parseGid(object.__parentId) : undefined;
  const parentId = parent?.id;
  switch (type) {
    case "Customer":
      pending.customers.push(customerFromGraphql(object));
      return;
    case "Product":
      // A collection's product is only its id, listed under the collection.
      if (parent?.type === "Collection") {
        pending.collectionMembers.push({
          collectionId: parent.id,
          productId: parseGid(String(object.id)).id,
        });
      } else {
        pending.products.push(productFromGraphql(object));
      }
      return;
    case "Collection":
      pending.collections.push(collectionFromGraphql(object));
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
