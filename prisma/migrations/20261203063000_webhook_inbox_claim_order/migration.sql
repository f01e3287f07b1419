-- DropIndex
DROP INDEX "webhook_inbox_status_run_after_idx";

-- CreateIndex
CREATE INDEX "webhook_inbox_status_id_idx" ON "webhook_inbox"("status", "id");

