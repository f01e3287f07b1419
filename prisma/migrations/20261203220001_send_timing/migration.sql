-- CreateTable
CREATE TABLE "shop_send_timing" (
    "shop_id" INTEGER NOT NULL,
    "quiet_start" INTEGER NOT NULL,
    "quiet_end" INTEGER NOT NULL,
    "cap_count" INTEGER NOT NULL,
    "cap_days" INTEGER NOT NULL,
    "optimize_send_time" BOOLEAN NOT NULL,
    "max_delay_hours" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shop_send_timing_pkey" PRIMARY KEY ("shop_id")
);

-- AddForeignKey
ALTER TABLE "shop_send_timing" ADD CONSTRAINT "shop_send_timing_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

