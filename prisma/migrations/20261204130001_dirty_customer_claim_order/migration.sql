-- The claim takes a shop's oldest marks first: through this index it reads only the rows it
-- takes, however many other shops (or this one) have waiting.
CREATE INDEX "metrics_dirty_customer_shop_id_marked_at_idx" ON "metrics_dirty_customer"("shop_id", "marked_at");
