-- CreateTable
CREATE TABLE "recommendation_model" (
    "shop_id" INTEGER NOT NULL,
    "popular" JSONB NOT NULL DEFAULT '[]',
    "trending" JSONB NOT NULL DEFAULT '[]',
    "orders_count" INTEGER NOT NULL,
    "products_count" INTEGER NOT NULL,
    "build_ms" INTEGER NOT NULL,
    "built_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "recommendation_model_pkey" PRIMARY KEY ("shop_id")
);

-- CreateTable
CREATE TABLE "recommendation_set" (
    "shop_id" INTEGER NOT NULL,
    "product_id" BIGINT NOT NULL,
    "neighbour_ids" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    "scores" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
    "repurchase_rate" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "recommendation_set_pkey" PRIMARY KEY ("shop_id","product_id")
);

-- CreateTable
CREATE TABLE "customer_offer" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "discount_text" TEXT NOT NULL DEFAULT '',
    "expires_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_offer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recommendation_event" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "request_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "product_id" TEXT NOT NULL DEFAULT '',
    "block" TEXT NOT NULL,
    "context" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recommendation_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "customer_offer_shop_id_customer_id_created_at_idx" ON "customer_offer"("shop_id", "customer_id", "created_at");

-- CreateIndex
CREATE INDEX "recommendation_event_shop_id_created_at_idx" ON "recommendation_event"("shop_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "recommendation_event_shop_id_request_id_type_product_id_key" ON "recommendation_event"("shop_id", "request_id", "type", "product_id");

