-- CreateTable
CREATE TABLE "shop_email_settings" (
    "shop_id" INTEGER NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "secure" BOOLEAN NOT NULL DEFAULT false,
    "username" TEXT NOT NULL DEFAULT '',
    "password_encrypted" TEXT NOT NULL DEFAULT '',
    "from_name" TEXT NOT NULL,
    "from_address" TEXT NOT NULL,
    "reply_to" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shop_email_settings_pkey" PRIMARY KEY ("shop_id")
);

-- CreateTable
CREATE TABLE "customer_consent_outbox" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "email_marketing" TEXT NOT NULL,
    "consent_updated_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pushed_at" TIMESTAMP(3),

    CONSTRAINT "customer_consent_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "customer_consent_outbox_shop_id_pushed_at_idx" ON "customer_consent_outbox"("shop_id", "pushed_at");

-- AddForeignKey
ALTER TABLE "shop_email_settings" ADD CONSTRAINT "shop_email_settings_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

