-- AlterTable
ALTER TABLE "recommendation_settings" ADD COLUMN     "attribution_days" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "experiment_shares" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "recommendation_event" ADD COLUMN     "arm" TEXT,
ADD COLUMN     "method" TEXT,
ADD COLUMN     "placement" TEXT,
ADD COLUMN     "visitor" TEXT;

-- CreateIndex
CREATE INDEX "recommendation_event_shop_id_customer_id_product_id_created_idx" ON "recommendation_event"("shop_id", "customer_id", "product_id", "created_at");

