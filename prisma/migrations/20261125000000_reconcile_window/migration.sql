-- AlterTable
ALTER TABLE "sync_job" ADD COLUMN     "window_start" TIMESTAMP(3);

