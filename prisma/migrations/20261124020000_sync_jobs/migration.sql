-- CreateTable
CREATE TABLE "sync_job" (
    "id" BIGSERIAL NOT NULL,
    "shop_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "bulk_operation_id" TEXT,
    "result_url" TEXT,
    "object_count" INTEGER NOT NULL DEFAULT 0,
    "lines_committed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "sync_job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sync_job_shop_id_kind_started_at_idx" ON "sync_job"("shop_id", "kind", "started_at");

-- CreateIndex
CREATE INDEX "sync_job_status_idx" ON "sync_job"("status");

-- AddForeignKey
ALTER TABLE "sync_job" ADD CONSTRAINT "sync_job_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

