-- CreateTable
CREATE TABLE "app_subscription" (
    "id" TEXT NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "trial_days" INTEGER NOT NULL DEFAULT 0,
    "current_period_end" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "app_subscription_shop_id_status_idx" ON "app_subscription"("shop_id", "status");

-- AddForeignKey
ALTER TABLE "app_subscription" ADD CONSTRAINT "app_subscription_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

