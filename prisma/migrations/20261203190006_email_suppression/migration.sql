-- Addresses a shop's emails must never go to again: hard bounces, complaints, unsubscribes.
CREATE TABLE "email_suppression" (
    "shop_id" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "customer_id" BIGINT,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_suppression_pkey" PRIMARY KEY ("shop_id","email")
);

CREATE INDEX "email_suppression_shop_id_created_at_idx" ON "email_suppression"("shop_id", "created_at");
