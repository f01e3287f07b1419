-- The recommender now trains per shop: bestsellers and recent bestsellers, item-kNN and EASE
-- edges, repurchase intervals, and the serving policy chosen on the shop's validation orders.
-- Models built before have no policy: dropping their headers makes every shop due for a trained
-- rebuild at the scheduler's next pass (the storefront serves bestsellers meanwhile).
DELETE FROM "recommendation_model";

-- AlterTable
ALTER TABLE "recommendation_model" DROP COLUMN "trending",
ADD COLUMN     "policy" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "recent_popular" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "training" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "recommendation_set" ADD COLUMN     "ease_ids" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
ADD COLUMN     "ease_scores" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
ADD COLUMN     "repurchase_days" DOUBLE PRECISION NOT NULL DEFAULT 365;
