-- CreateTable
CREATE TABLE "segment" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "ast" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "refreshed_at" TIMESTAMP(3),

    CONSTRAINT "segment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "segment_membership" (
    "shop_id" INTEGER NOT NULL,
    "segment_id" BIGINT NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "entered_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "segment_membership_pkey" PRIMARY KEY ("segment_id","customer_id")
);

-- CreateTable
CREATE TABLE "segment_membership_event" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "segment_id" BIGINT NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "segment_membership_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "segment_shop_id_name_key" ON "segment"("shop_id", "name");

-- CreateIndex
CREATE INDEX "segment_membership_shop_id_customer_id_idx" ON "segment_membership"("shop_id", "customer_id");

-- CreateIndex
CREATE INDEX "segment_membership_event_shop_id_segment_id_at_idx" ON "segment_membership_event"("shop_id", "segment_id", "at");

-- CreateIndex
CREATE INDEX "segment_membership_event_shop_id_customer_id_at_idx" ON "segment_membership_event"("shop_id", "customer_id", "at");

