-- CreateTable
CREATE TABLE "message_flow" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "template_key" TEXT,
    "trigger" JSONB NOT NULL,
    "exit_on_order" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "current_version" INTEGER NOT NULL DEFAULT 1,
    "activated_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_flow_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "message_flow_version" (
    "shop_id" INTEGER NOT NULL,
    "flow_id" BIGINT NOT NULL,
    "version" INTEGER NOT NULL,
    "steps" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_flow_version_pkey" PRIMARY KEY ("shop_id","flow_id","version")
);

-- CreateTable
CREATE TABLE "message_flow_run" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "flow_id" BIGINT NOT NULL,
    "version" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "occurrence_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "step_index" INTEGER NOT NULL DEFAULT 0,
    "next_at" TIMESTAMP(3) NOT NULL,
    "exit_reason" TEXT,
    "entered_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "message_flow_run_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "message_flow_step" (
    "shop_id" INTEGER NOT NULL,
    "run_id" BIGINT NOT NULL,
    "step_index" INTEGER NOT NULL,
    "flow_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "message_flow_step_pkey" PRIMARY KEY ("shop_id","run_id","step_index")
);

-- CreateIndex
CREATE INDEX "message_flow_status_idx" ON "message_flow"("status");

-- CreateIndex
CREATE UNIQUE INDEX "message_flow_shop_id_name_key" ON "message_flow"("shop_id", "name");

-- CreateIndex
CREATE INDEX "message_flow_run_shop_id_flow_id_status_step_index_idx" ON "message_flow_run"("shop_id", "flow_id", "status", "step_index");

-- CreateIndex
CREATE INDEX "message_flow_run_shop_id_customer_id_idx" ON "message_flow_run"("shop_id", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "message_flow_run_shop_id_flow_id_customer_id_occurrence_key_key" ON "message_flow_run"("shop_id", "flow_id", "customer_id", "occurrence_key");

-- CreateIndex
CREATE INDEX "message_flow_step_shop_id_flow_id_step_index_status_idx" ON "message_flow_step"("shop_id", "flow_id", "step_index", "status");

