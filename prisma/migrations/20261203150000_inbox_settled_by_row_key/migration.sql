-- Workers now settle claimed deliveries by the whole primary key (shop_id, id, partition_day),
-- so no statement looks a delivery up by id alone: the index on id only cost every insert and
-- every status change one more index entry.
DROP INDEX "webhook_inbox_id_idx";
