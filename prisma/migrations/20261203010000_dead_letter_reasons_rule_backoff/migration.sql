-- AlterTable
ALTER TABLE "webhook_inbox" ADD COLUMN     "dead_reason" TEXT;

-- AlterTable
ALTER TABLE "winback_rule" ADD COLUMN     "failed_runs" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "retry_at" TIMESTAMP(3);

