-- CreateTable
CREATE TABLE "refund_line" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "refund_id" BIGINT NOT NULL,
    "order_id" BIGINT NOT NULL,
    "line_item_id" BIGINT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "subtotal" DECIMAL(20,4) NOT NULL,

    CONSTRAINT "refund_line_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "data_export" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "data_request_id" TEXT,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_export_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "refund_line_shop_id_order_id_idx" ON "refund_line"("shop_id", "order_id");

-- CreateIndex
CREATE INDEX "data_export_shop_id_created_at_idx" ON "data_export"("shop_id", "created_at");

-- AddForeignKey
ALTER TABLE "data_export" ADD CONSTRAINT "data_export_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

