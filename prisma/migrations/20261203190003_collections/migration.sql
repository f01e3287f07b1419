-- The shop's collections (custom and smart alike) and which products each holds, for the
-- segment condition "has bought from collection". Membership is replaced whole per collection
-- by the backfill, each reconciliation and the refresh a collections webhook asks for.

-- CreateTable
CREATE TABLE "collection" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "shopify_updated_at" TIMESTAMP(3) NOT NULL,
    "members_read_at" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "collection_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "collection_product" (
    "shop_id" INTEGER NOT NULL,
    "collection_id" BIGINT NOT NULL,
    "product_id" BIGINT NOT NULL,

    CONSTRAINT "collection_product_pkey" PRIMARY KEY ("shop_id","collection_id","product_id")
);

-- CreateIndex
CREATE INDEX "collection_product_shop_id_product_id_idx" ON "collection_product"("shop_id", "product_id");

-- AddForeignKey
ALTER TABLE "collection" ADD CONSTRAINT "collection_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "collection_product" ADD CONSTRAINT "collection_product_shop_id_collection_id_fkey" FOREIGN KEY ("shop_id", "collection_id") REFERENCES "collection"("shop_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
