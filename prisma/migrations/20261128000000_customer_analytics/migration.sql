-- CreateTable
CREATE TABLE "customer_metrics" (
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "orders_count" INTEGER NOT NULL,
    "net_revenue" DECIMAL(20,4) NOT NULL,
    "aov" DECIMAL(20,4),
    "first_order_at" TIMESTAMP(3),
    "last_order_at" TIMESTAMP(3),
    "days_since_last_order" INTEGER,
    "avg_days_between_orders" DOUBLE PRECISION,
    "r_score" INTEGER,
    "f_score" INTEGER,
    "m_score" INTEGER,
    "rfm_segment" TEXT,
    "lifecycle_stage" TEXT NOT NULL,
    "prob_alive" DOUBLE PRECISION,
    "expected_orders_30d" DOUBLE PRECISION,
    "expected_orders_90d" DOUBLE PRECISION,
    "expected_orders_365d" DOUBLE PRECISION,
    "expected_order_value" DECIMAL(20,4),
    "predicted_clv" DECIMAL(20,4),
    "predicted_next_order_at" TIMESTAMP(3),
    "computed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customer_metrics_pkey" PRIMARY KEY ("shop_id","customer_id")
);

-- CreateTable
CREATE TABLE "customer_stage_change" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "from_stage" TEXT,
    "to_stage" TEXT NOT NULL,
    "changed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customer_stage_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metrics_dirty_customer" (
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "marked_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metrics_dirty_customer_pkey" PRIMARY KEY ("shop_id","customer_id")
);

-- CreateTable
CREATE TABLE "shop_analytics" (
    "shop_id" INTEGER NOT NULL,
    "as_of" TIMESTAMP(3) NOT NULL,
    "bgnbd" JSONB NOT NULL,
    "gamma_gamma" JSONB NOT NULL,
    "rfm_thresholds" JSONB NOT NULL,
    "shop_avg_days_between" DOUBLE PRECISION NOT NULL,
    "cohorts" JSONB NOT NULL DEFAULT '[]',
    "settings" JSONB NOT NULL DEFAULT '{}',
    "customers_count" INTEGER NOT NULL,
    "recompute_requested" BOOLEAN NOT NULL DEFAULT false,
    "recompute_ms" INTEGER NOT NULL,
    "computed_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shop_analytics_pkey" PRIMARY KEY ("shop_id")
);

-- CreateIndex
CREATE INDEX "customer_stage_change_shop_id_changed_at_idx" ON "customer_stage_change"("shop_id", "changed_at");

-- CreateIndex
CREATE INDEX "customer_stage_change_shop_id_customer_id_changed_at_idx" ON "customer_stage_change"("shop_id", "customer_id", "changed_at");

