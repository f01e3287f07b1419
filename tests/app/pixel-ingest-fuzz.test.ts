import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPixelTestFront } from "../helpers/pixel-front";
import { pixelBatch, postPixelBatch } from "../helpers/pixel-requests";
import { TEST_SHOP } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

const { prisma } = await migratedTestDatabase();
let front: Awaited<ReturnType<typeof startPixelTestFront>>;

beforeAll(async () => {
  front = await startPixelTestFront();
  await truncateAppTables();
  await prisma.shop.create({ data: { domain: TEST_SHOP } });
});
afterAll(() => front.close());

const ANSWERS = [204, 400, 403, 413, 429];
const runs = Number(process.env.FUZZ_RUNS ?? 60);

/** Anything where a field goes: right types, wrong types, edge values, odd text. */
const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant("gid://shopify/Product/9223372036854775807"),
  fc.constant("gid://shopify/Product/9223372036854775808"),
  fc.constant("-1"),
  fc.constant("\u0000"),
  fc.constant(new Date(8.64e15).toISOString()),
  fc.constant("0001-01-01T00:00:00Z"),
  fc.json(),
);

/** An event near the contract: each field either right or anything at all. */
const fuzzedEvent = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 140 }), anyValue),
    name: fc.oneof(fc.constantFrom("page_viewed", "product_viewed", "search_submitted"), anyValue),
    at: fc.oneof(
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      anyValue,
    ),
    clientId: fc.oneof(fc.string({ minLength: 1, maxLength: 140 }), anyValue),
    customerId: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 64n }).map(String), anyValue),
    productId: fc.oneof(
      fc.nat().map((n) => `gid://shopify/Product/${n}`),
      anyValue,
    ),
    query: fc.oneof(fc.string({ unit: "binary", maxLength: 220 }), anyValue),
    path: fc.oneof(fc.string({ maxLength: 600 }), anyValue),
    consent: fc.oneof(fc.record({ analytics: fc.boolean(), marketing: fc.boolean() }), anyValue),
  },
  { requiredKeys: [] },
);

/** Events the contract accepts, with the odd text and ids it allows (lone surrogates, 2^63 - 1). */
const acceptedEvent = fc.record({
  id: fc.string({ unit: "grapheme", minLength: 1, maxLength: 128 }),
  name: fc.constantFrom("page_viewed", "product_viewed", "search_submitted", "checkout_started"),
  at: fc
    .integer({ min: -10 * 86_400_000, max: 86_400_000 })
    .map((offset) => new Date(Date.now() + offset).toISOString()),
  clientId: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 128 }),
  customerId: fc.option(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map(String)),
  productId: fc.option(
    fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }).map((id) => `gid://shopify/Product/${id}`),
  ),
  query: fc.option(
    fc.string({ unit: "binary", maxLength: 200 }).filter((text) => !text.includes("\u0000")),
  ),
  path: fc.option(
    fc.string({ unit: "binary", maxLength: 200 }).filter((text) => !text.includes("\u0000")),
  ),
  consent: fc.record({ analytics: fc.boolean(), marketing: fc.boolean() }),
});

describe("the pixel endpoint under fuzzed input", () => {
  it("answers any body with one of the contract's statuses, never a server error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.uint8Array({ maxLength: 2000 }),
          fc.array(fuzzedEvent, { maxLength: 5 }).map((events) => pixelBatch(events)),
          fc
            .record({ v: anyValue, shop: anyValue, key: anyValue, events: anyValue })
            .map((batch) => batch),
        ),
        async (body) => {
          const response = await postPixelBatch(front.origin, body);
          expect(ANSWERS).toContain(response.status);
        },
      ),
      { numRuns: runs },
    );
  });

  it("stores batches of any accepted events, whatever text they carry", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(acceptedEvent, { minLength: 1, maxLength: 10 }),
        fc.array(fc.nat(9), { maxLength: 3 }),
        async (events, replayed) => {
          // Events of one browser each run (a fresh client id), some sent twice.
          const clientId = `fuzz-${Math.random()}`;
          const batch = events.map((event) => ({ ...event, clientId }));
          const again = replayed.flatMap((index) => batch[index % batch.length] ?? []);
          const response = await postPixelBatch(front.origin, pixelBatch([...batch, ...again]));
          expect(response.status).toBe(204);
        },
      ),
      { numRuns: runs },
    );
  });
});
