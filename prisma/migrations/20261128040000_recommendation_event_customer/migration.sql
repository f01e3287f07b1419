-- AlterTable
ALTER TABLE "recommendation_event" ADD COLUMN     "customer_id" BIGINT;

