-- AlterTable
ALTER TABLE "recommendation_settings" ADD COLUMN     "collections_resolved_at" TIMESTAMP(3),
ADD COLUMN     "excluded_collection_product_ids" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
ADD COLUMN     "excluded_collections" JSONB NOT NULL DEFAULT '[]';

