-- AlterTable
ALTER TABLE "winback_action" ADD COLUMN     "retry_at" TIMESTAMP(3);

-- A one-shot action whose outcome is in doubt is now called "uncertain".
UPDATE "winback_action" SET "status" = 'uncertain' WHERE "status" = 'unknown';
