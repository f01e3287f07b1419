import { schemaModels, type SchemaModel } from "../helpers/schema-models";

/** `/// @reference-table` in prisma/schema.prisma: small tables replicated to every node. */
export const isReferenceTable = (model: SchemaModel) =>
  model.doc.some((line) => line.startsWith("@reference-table"));

/**
 * `/// @queue-table` in prisma/schema.prisma: a tenant table that is also a work queue, whose
 * claim and settle statements serve every shop at once and say so in an "across shops:" SQL comment.
 */
export const isQueueTable = (model: SchemaModel) =>
  model.doc.some((line) => line.startsWith("@queue-table"));

export const hasShopId = (model: SchemaModel) =>
  model.fields.some((field) => field.name === "shopId" && field.column === "shop_id");

export const MODELS = schemaModels();

/** The tables every query must scope by shop: those with shop_id. */
export const TENANT_MODELS = MODELS.filter(hasShopId);
