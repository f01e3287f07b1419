-- Storefront behaviour from the web pixel: pixel_event is partitioned by range of occurred_at,
-- a partition a day (the scheduled "event-partitions" job creates the coming ones and drops
-- those past retention), with a DEFAULT partition so an insert never fails for want of one.
-- Every key leads with shop_id and holds the partition key. pixel_visitor maps a browser
-- (Shopify's client id) to the customer it turned out to be.
-- (No semicolon may appear inside a statement or comment here: Prisma's PostgreSQL adapter
-- splits migration scripts at every semicolon.)

CREATE TABLE "pixel_event" (
    "shop_id" INTEGER NOT NULL,
    "event_id" TEXT NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "client_id" TEXT NOT NULL,
    "customer_id" BIGINT,
    "name" TEXT NOT NULL,
    "product_id" BIGINT,
    "variant_id" BIGINT,
    "collection_id" BIGINT,
    "search_query" TEXT,
    "path" TEXT,
    "marketing_consent" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "pixel_event_pkey" PRIMARY KEY ("shop_id", "event_id", "occurred_at")
) PARTITION BY RANGE ("occurred_at");

CREATE INDEX "pixel_event_shop_id_customer_id_occurred_at_idx" ON "pixel_event"("shop_id", "customer_id", "occurred_at");
CREATE INDEX "pixel_event_shop_id_client_id_occurred_at_idx" ON "pixel_event"("shop_id", "client_id", "occurred_at");

CREATE TABLE "pixel_event_default" PARTITION OF "pixel_event" DEFAULT;

CREATE TABLE "pixel_visitor" (
    "shop_id" INTEGER NOT NULL,
    "client_id" TEXT NOT NULL,
    "customer_id" BIGINT,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stitched_at" TIMESTAMP(3),

    CONSTRAINT "pixel_visitor_pkey" PRIMARY KEY ("shop_id", "client_id")
);

CREATE INDEX "pixel_visitor_shop_id_customer_id_idx" ON "pixel_visitor"("shop_id", "customer_id");
