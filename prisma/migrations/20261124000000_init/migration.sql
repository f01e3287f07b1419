-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shop" (
    "id" SERIAL NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "iana_timezone" TEXT NOT NULL DEFAULT 'UTC',
    "plan" TEXT,
    "scopes" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL DEFAULT 'installed',
    "installed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalled_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "email" TEXT,
    "first_name" TEXT,
    "last_name" TEXT,
    "phone" TEXT,
    "locale" TEXT,
    "state" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "email_marketing" TEXT NOT NULL DEFAULT 'not_subscribed',
    "email_marketing_updated_at" TIMESTAMP(3),
    "sms_marketing" TEXT NOT NULL DEFAULT 'not_subscribed',
    "country_code" TEXT,
    "province" TEXT,
    "city" TEXT,
    "verified_email" BOOLEAN NOT NULL DEFAULT false,
    "tax_exempt" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL,
    "shopify_updated_at" TIMESTAMP(3) NOT NULL,
    "deleted_at" TIMESTAMP(3),
    "redacted_at" TIMESTAMP(3),
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "order" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "customer_id" BIGINT,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "currency" TEXT NOT NULL,
    "total_price" DECIMAL(20,4) NOT NULL,
    "subtotal_price" DECIMAL(20,4) NOT NULL,
    "total_discounts" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "total_tax" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "total_refunded" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "financial_status" TEXT,
    "fulfillment_status" TEXT,
    "discount_codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "source_name" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "processed_at" TIMESTAMP(3) NOT NULL,
    "cancelled_at" TIMESTAMP(3),
    "cancel_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "shopify_updated_at" TIMESTAMP(3) NOT NULL,
    "deleted_at" TIMESTAMP(3),
    "redacted_at" TIMESTAMP(3),
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "order_line" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "order_id" BIGINT NOT NULL,
    "product_id" BIGINT,
    "variant_id" BIGINT,
    "title" TEXT NOT NULL,
    "variant_title" TEXT,
    "sku" TEXT,
    "quantity" INTEGER NOT NULL,
    "refunded_quantity" INTEGER NOT NULL DEFAULT 0,
    "price" DECIMAL(20,4) NOT NULL,
    "total_discount" DECIMAL(20,4) NOT NULL DEFAULT 0,
    "gift_card" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "order_line_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "refund" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "order_id" BIGINT NOT NULL,
    "amount" DECIMAL(20,4) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "refund_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "product" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "product_type" TEXT,
    "vendor" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "image_url" TEXT,
    "total_inventory" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL,
    "published_at" TIMESTAMP(3),
    "shopify_updated_at" TIMESTAMP(3) NOT NULL,
    "deleted_at" TIMESTAMP(3),
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "variant" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "product_id" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "sku" TEXT,
    "price" DECIMAL(20,4) NOT NULL,
    "compare_at_price" DECIMAL(20,4),
    "inventory_quantity" INTEGER,
    "available_for_sale" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "variant_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "checkout" (
    "shop_id" INTEGER NOT NULL,
    "id" BIGINT NOT NULL,
    "token" TEXT NOT NULL,
    "customer_id" BIGINT,
    "email" TEXT,
    "currency" TEXT NOT NULL,
    "total_price" DECIMAL(20,4) NOT NULL,
    "recovery_url" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "completed_at" TIMESTAMP(3),
    "shopify_updated_at" TIMESTAMP(3) NOT NULL,
    "redacted_at" TIMESTAMP(3),

    CONSTRAINT "checkout_pkey" PRIMARY KEY ("shop_id","id")
);

-- CreateTable
CREATE TABLE "webhook_inbox" (
    "id" BIGSERIAL NOT NULL,
    "shop_domain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhook_id" TEXT NOT NULL,
    "event_id" TEXT,
    "api_version" TEXT,
    "triggered_at" TIMESTAMP(3),
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_after" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMP(3),
    "last_error" TEXT,
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "webhook_inbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "shop_domain" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "session_shop_idx" ON "session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "shop_domain_key" ON "shop"("domain");

-- CreateIndex
CREATE INDEX "customer_shop_id_email_idx" ON "customer"("shop_id", "email");

-- CreateIndex
CREATE INDEX "customer_shop_id_created_at_idx" ON "customer"("shop_id", "created_at");

-- CreateIndex
CREATE INDEX "order_shop_id_customer_id_processed_at_idx" ON "order"("shop_id", "customer_id", "processed_at");

-- CreateIndex
CREATE INDEX "order_shop_id_processed_at_idx" ON "order"("shop_id", "processed_at");

-- CreateIndex
CREATE INDEX "order_shop_id_shopify_updated_at_idx" ON "order"("shop_id", "shopify_updated_at");

-- CreateIndex
CREATE INDEX "order_line_shop_id_order_id_idx" ON "order_line"("shop_id", "order_id");

-- CreateIndex
CREATE INDEX "order_line_shop_id_product_id_idx" ON "order_line"("shop_id", "product_id");

-- CreateIndex
CREATE INDEX "refund_shop_id_order_id_idx" ON "refund"("shop_id", "order_id");

-- CreateIndex
CREATE INDEX "product_shop_id_handle_idx" ON "product"("shop_id", "handle");

-- CreateIndex
CREATE INDEX "variant_shop_id_product_id_idx" ON "variant"("shop_id", "product_id");

-- CreateIndex
CREATE INDEX "checkout_shop_id_customer_id_idx" ON "checkout"("shop_id", "customer_id");

-- CreateIndex
CREATE INDEX "checkout_shop_id_completed_at_created_at_idx" ON "checkout"("shop_id", "completed_at", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_inbox_webhook_id_key" ON "webhook_inbox"("webhook_id");

-- CreateIndex
CREATE INDEX "webhook_inbox_status_run_after_idx" ON "webhook_inbox"("status", "run_after");

-- CreateIndex
CREATE INDEX "webhook_inbox_shop_domain_topic_received_at_idx" ON "webhook_inbox"("shop_domain", "topic", "received_at");

-- CreateIndex
CREATE INDEX "audit_event_shop_domain_created_at_idx" ON "audit_event"("shop_domain", "created_at");

-- AddForeignKey
ALTER TABLE "customer" ADD CONSTRAINT "customer_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order" ADD CONSTRAINT "order_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_shop_id_order_id_fkey" FOREIGN KEY ("shop_id", "order_id") REFERENCES "order"("shop_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product" ADD CONSTRAINT "product_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "variant" ADD CONSTRAINT "variant_shop_id_product_id_fkey" FOREIGN KEY ("shop_id", "product_id") REFERENCES "product"("shop_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

