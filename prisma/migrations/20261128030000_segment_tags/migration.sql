-- AlterTable
ALTER TABLE "segment" ADD COLUMN     "shopify_tag" TEXT;

-- AlterTable
ALTER TABLE "segment_membership_event" ADD COLUMN     "pushed_at" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "segment_membership_event_pushed_at_idx" ON "segment_membership_event"("pushed_at");

