-- CreateTable
CREATE TABLE "scheduled_job" (
    "name" TEXT NOT NULL,
    "last_started_at" TIMESTAMP(3) NOT NULL,
    "last_finished_at" TIMESTAMP(3),
    "last_process" TEXT NOT NULL,
    "last_failed" BOOLEAN NOT NULL DEFAULT false,
    "runs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "scheduled_job_pkey" PRIMARY KEY ("name")
);

