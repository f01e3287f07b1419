-- CreateTable
CREATE TABLE "customer_tag_removal" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "tag" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pushed_at" TIMESTAMP(3),

    CONSTRAINT "customer_tag_removal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "customer_tag_removal_shop_id_pushed_at_idx" ON "customer_tag_removal"("shop_id", "pushed_at");

