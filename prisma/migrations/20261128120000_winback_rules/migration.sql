-- CreateTable
CREATE TABLE "winback_rule" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "config" JSONB NOT NULL,
    "activated_at" TIMESTAMP(3),
    "last_run_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "winback_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "winback_run" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "rule_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),
    "counts" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,

    CONSTRAINT "winback_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "winback_target" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "rule_id" BIGINT NOT NULL,
    "run_id" BIGINT NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "trigger_key" TEXT NOT NULL,
    "holdout" BOOLEAN NOT NULL,
    "discount_code" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "winback_target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "winback_action" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "rule_id" BIGINT NOT NULL,
    "run_id" BIGINT NOT NULL,
    "target_id" BIGINT NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "winback_action_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "winback_rule_status_last_run_at_idx" ON "winback_rule"("status", "last_run_at");

-- CreateIndex
CREATE UNIQUE INDEX "winback_rule_shop_id_name_key" ON "winback_rule"("shop_id", "name");

-- CreateIndex
CREATE INDEX "winback_run_shop_id_rule_id_started_at_idx" ON "winback_run"("shop_id", "rule_id", "started_at");

-- CreateIndex
CREATE INDEX "winback_run_status_idx" ON "winback_run"("status");

-- CreateIndex
CREATE INDEX "winback_target_shop_id_customer_id_created_at_idx" ON "winback_target"("shop_id", "customer_id", "created_at");

-- CreateIndex
CREATE INDEX "winback_target_shop_id_discount_code_idx" ON "winback_target"("shop_id", "discount_code");

-- CreateIndex
CREATE UNIQUE INDEX "winback_target_rule_id_customer_id_trigger_key_key" ON "winback_target"("rule_id", "customer_id", "trigger_key");

-- CreateIndex
CREATE UNIQUE INDEX "winback_target_run_id_customer_id_key" ON "winback_target"("run_id", "customer_id");

-- CreateIndex
CREATE INDEX "winback_action_run_id_status_target_id_idx" ON "winback_action"("run_id", "status", "target_id");

-- CreateIndex
CREATE INDEX "winback_action_shop_id_customer_id_idx" ON "winback_action"("shop_id", "customer_id");

-- CreateIndex
CREATE INDEX "winback_action_shop_id_rule_id_updated_at_idx" ON "winback_action"("shop_id", "rule_id", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "winback_action_target_id_kind_key" ON "winback_action"("target_id", "kind");

