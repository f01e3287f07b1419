-- Sent emails, their opens and clicks, and the orders credited to them (last touch).
-- AlterTable
ALTER TABLE "shop" ADD COLUMN     "email_attribution_days" INTEGER NOT NULL DEFAULT 5;

-- CreateTable
CREATE TABLE "email_message" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "message_key" TEXT NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "flow_id" BIGINT,
    "step_index" INTEGER,
    "rule_id" BIGINT,
    "variant" TEXT NOT NULL DEFAULT 'A',
    "status" TEXT NOT NULL DEFAULT 'sending',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMP(3),
    "opens" INTEGER NOT NULL DEFAULT 0,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "first_open_at" TIMESTAMP(3),
    "first_click_at" TIMESTAMP(3),

    CONSTRAINT "email_message_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "email_touch" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "message_id" BIGINT NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "email_touch_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "email_attribution" (
    "shop_id" INTEGER NOT NULL,
    "order_id" BIGINT NOT NULL,
    "message_id" BIGINT NOT NULL,
    "touch" TEXT NOT NULL,
    "touched_at" TIMESTAMP(3) NOT NULL,
    "revenue" DECIMAL(20,4) NOT NULL,

    CONSTRAINT "email_attribution_pkey" PRIMARY KEY ("shop_id","order_id")
);

-- CreateIndex
CREATE INDEX "email_message_shop_id_flow_id_step_index_idx" ON "email_message"("shop_id", "flow_id", "step_index");

-- CreateIndex
CREATE INDEX "email_message_shop_id_rule_id_idx" ON "email_message"("shop_id", "rule_id");

-- CreateIndex
CREATE UNIQUE INDEX "email_message_shop_id_message_key_key" ON "email_message"("shop_id", "message_key");

-- CreateIndex
CREATE INDEX "email_touch_shop_id_customer_id_at_idx" ON "email_touch"("shop_id", "customer_id", "at");

-- CreateIndex
CREATE INDEX "email_attribution_shop_id_message_id_idx" ON "email_attribution"("shop_id", "message_id");

