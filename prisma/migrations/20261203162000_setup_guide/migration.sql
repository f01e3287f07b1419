-- AlterTable
ALTER TABLE "shop" ADD COLUMN "setup_guide_dismissed_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "shop_email_settings" ADD COLUMN "verified_at" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "sync_job" ADD COLUMN "loading_started_at" TIMESTAMP(3);
