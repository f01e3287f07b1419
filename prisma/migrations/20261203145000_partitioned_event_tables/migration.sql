-- webhook_inbox and audit_event become partitioned tables (PostgreSQL declarative partitioning,
-- by range): a partition a day for the inbox (by partition_day), a month for the audit trail
-- (by created_at). Retention drops whole partitions, and the scheduled "event-partitions" job
-- creates the coming ones (app/lib/partitions/). Every key holds the partition key and leads
-- with shop_id. Each table gets a DEFAULT partition, so that an insert never fails for want of
-- a partition: the job moves such rows into partitions of their own, the stored rows included
-- on its first run. The inbox also gets a "kept" partition (infinity) for dead letters that
-- outlive their day. Rows are copied over with their ids, and the id sequences carry on.
-- (No semicolon may appear inside a statement or comment here: Prisma's PostgreSQL adapter
-- splits migration scripts at every semicolon, which also rules out DO blocks.)

-- The inbox ----------------------------------------------------------------------------------
-- The rows wait in a temporary table while the table is made again under its own name, so
-- that its constraints and indexes keep the names Prisma gives them.
CREATE TEMPORARY TABLE "webhook_inbox_unpartitioned" AS SELECT * FROM "webhook_inbox";
ALTER TABLE "webhook_inbox" ALTER COLUMN "id" DROP DEFAULT;
ALTER SEQUENCE "webhook_inbox_id_seq" OWNED BY NONE;
DROP TABLE "webhook_inbox";

CREATE TABLE "webhook_inbox" (
    "shop_id" INTEGER NOT NULL,
    "partition_day" DATE NOT NULL DEFAULT ((now() AT TIME ZONE 'UTC'::text))::date,
    "id" BIGINT NOT NULL DEFAULT nextval('webhook_inbox_id_seq'::regclass),
    "shop_domain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhook_id" TEXT NOT NULL,
    "event_id" TEXT,
    "api_version" TEXT,
    "triggered_at" TIMESTAMP(3),
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_after" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMP(3),
    "last_error" TEXT,
    "dead_reason" TEXT,
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "webhook_inbox_pkey" PRIMARY KEY ("shop_id", "id", "partition_day")
) PARTITION BY RANGE ("partition_day");
ALTER SEQUENCE "webhook_inbox_id_seq" OWNED BY "webhook_inbox"."id";

CREATE UNIQUE INDEX "webhook_inbox_shop_id_webhook_id_partition_day_key" ON "webhook_inbox"("shop_id", "webhook_id", "partition_day");
CREATE INDEX "webhook_inbox_status_id_idx" ON "webhook_inbox"("status", "id");
CREATE INDEX "webhook_inbox_id_idx" ON "webhook_inbox"("id");
CREATE INDEX "webhook_inbox_shop_domain_topic_received_at_idx" ON "webhook_inbox"("shop_domain", "topic", "received_at");

CREATE TABLE "webhook_inbox_default" PARTITION OF "webhook_inbox" DEFAULT;
CREATE TABLE "webhook_inbox_kept" PARTITION OF "webhook_inbox" FOR VALUES FROM ('infinity') TO (MAXVALUE);

INSERT INTO "webhook_inbox" ("shop_id", "partition_day", "id", "shop_domain", "topic", "webhook_id", "event_id",
    "api_version", "triggered_at", "received_at", "payload", "status", "attempts", "run_after", "locked_until",
    "last_error", "dead_reason", "processed_at")
SELECT coalesce(s."id", 0),
       (CASE WHEN i."triggered_at" BETWEEN i."received_at" - interval '2 days' AND i."received_at" + interval '1 hour'
             THEN i."triggered_at" ELSE i."received_at" END)::date,
       i."id", i."shop_domain", i."topic", i."webhook_id", i."event_id", i."api_version", i."triggered_at",
       i."received_at", i."payload", i."status", i."attempts", i."run_after", i."locked_until", i."last_error",
       i."dead_reason", i."processed_at"
FROM "webhook_inbox_unpartitioned" i
LEFT JOIN "shop" s ON s."domain" = i."shop_domain";

DROP TABLE "webhook_inbox_unpartitioned";

-- The audit trail ----------------------------------------------------------------------------
CREATE TEMPORARY TABLE "audit_event_unpartitioned" AS SELECT * FROM "audit_event";
ALTER TABLE "audit_event" ALTER COLUMN "id" DROP DEFAULT;
ALTER SEQUENCE "audit_event_id_seq" OWNED BY NONE;
DROP TABLE "audit_event";

CREATE TABLE "audit_event" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL DEFAULT nextval('audit_event_id_seq'::regclass),
    "shop_domain" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("shop_id", "id", "created_at")
) PARTITION BY RANGE ("created_at");
ALTER SEQUENCE "audit_event_id_seq" OWNED BY "audit_event"."id";

CREATE INDEX "audit_event_shop_domain_created_at_idx" ON "audit_event"("shop_domain", "created_at");

CREATE TABLE "audit_event_default" PARTITION OF "audit_event" DEFAULT;

INSERT INTO "audit_event" ("shop_id", "id", "shop_domain", "kind", "detail", "created_at")
SELECT coalesce(s."id", 0), a."id", a."shop_domain", a."kind", a."detail", a."created_at"
FROM "audit_event_unpartitioned" a
LEFT JOIN "shop" s ON s."domain" = a."shop_domain";

DROP TABLE "audit_event_unpartitioned";
