-- CreateTable
CREATE TABLE "email_template" (
    "shop_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "email_template_pkey" PRIMARY KEY ("shop_id","key")
);

-- CreateTable
CREATE TABLE "shop_email_brand" (
    "shop_id" INTEGER NOT NULL,
    "shop_name" TEXT NOT NULL,
    "address" TEXT NOT NULL DEFAULT '',
    "storefront_url" TEXT NOT NULL,
    "fetched_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shop_email_brand_pkey" PRIMARY KEY ("shop_id")
);

-- AddForeignKey
ALTER TABLE "email_template" ADD CONSTRAINT "email_template_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shop_email_brand" ADD CONSTRAINT "shop_email_brand_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

