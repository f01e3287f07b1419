-- CreateTable
CREATE TABLE "recommendation_settings" (
    "shop_id" INTEGER NOT NULL,
    "exclude_out_of_stock" BOOLEAN NOT NULL DEFAULT true,
    "excluded_product_tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "excluded_product_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "excluded_vendors" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "pinned_product_ids" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    "blocked_product_ids" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    "max_per_block" INTEGER NOT NULL DEFAULT 8,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recommendation_settings_pkey" PRIMARY KEY ("shop_id")
);

-- AddForeignKey
ALTER TABLE "recommendation_settings" ADD CONSTRAINT "recommendation_settings_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

