-- Distributed-ready keys: every tenant table's primary key and unique keys lead with shop_id,
-- so a Citus cluster distributed by shop_id can enforce them on one shard (docs/scaling.md).
-- Ids keep their sequences: only the constraints change.
-- DropIndex
DROP INDEX "winback_target_rule_id_customer_id_trigger_key_key";

-- DropIndex
DROP INDEX "winback_target_run_id_customer_id_key";

-- DropIndex
DROP INDEX "winback_action_target_id_kind_key";

-- AlterTable
ALTER TABLE "sync_job" DROP CONSTRAINT "sync_job_pkey",
ADD CONSTRAINT "sync_job_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "data_export" DROP CONSTRAINT "data_export_pkey",
ADD CONSTRAINT "data_export_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "customer_stage_change" DROP CONSTRAINT "customer_stage_change_pkey",
ADD CONSTRAINT "customer_stage_change_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "customer_offer" DROP CONSTRAINT "customer_offer_pkey",
ADD CONSTRAINT "customer_offer_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "recommendation_event" DROP CONSTRAINT "recommendation_event_pkey",
ADD CONSTRAINT "recommendation_event_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "segment" DROP CONSTRAINT "segment_pkey",
ADD CONSTRAINT "segment_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "segment_membership" DROP CONSTRAINT "segment_membership_pkey",
ADD CONSTRAINT "segment_membership_pkey" PRIMARY KEY ("shop_id", "segment_id", "customer_id");

-- AlterTable
ALTER TABLE "segment_membership_event" DROP CONSTRAINT "segment_membership_event_pkey",
ADD CONSTRAINT "segment_membership_event_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "winback_rule" DROP CONSTRAINT "winback_rule_pkey",
ADD CONSTRAINT "winback_rule_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "winback_run" DROP CONSTRAINT "winback_run_pkey",
ADD CONSTRAINT "winback_run_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "winback_target" DROP CONSTRAINT "winback_target_pkey",
ADD CONSTRAINT "winback_target_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "winback_action" DROP CONSTRAINT "winback_action_pkey",
ADD CONSTRAINT "winback_action_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "customer_consent_outbox" DROP CONSTRAINT "customer_consent_outbox_pkey",
ADD CONSTRAINT "customer_consent_outbox_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "customer_tag_removal" DROP CONSTRAINT "customer_tag_removal_pkey",
ADD CONSTRAINT "customer_tag_removal_pkey" PRIMARY KEY ("shop_id", "id");

-- AlterTable
ALTER TABLE "app_subscription" DROP CONSTRAINT "app_subscription_pkey",
ADD CONSTRAINT "app_subscription_pkey" PRIMARY KEY ("shop_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "winback_target_shop_id_rule_id_customer_id_trigger_key_key" ON "winback_target"("shop_id", "rule_id", "customer_id", "trigger_key");

-- CreateIndex
CREATE UNIQUE INDEX "winback_target_shop_id_run_id_customer_id_key" ON "winback_target"("shop_id", "run_id", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "winback_action_shop_id_target_id_kind_key" ON "winback_action"("shop_id", "target_id", "kind");

