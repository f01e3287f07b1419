-- A rescoring leases the marks it claims instead of holding their rows locked in a transaction:
-- until the lease runs out no other worker takes them, and a worker that dies leaves them to be
-- claimed again when it does.
ALTER TABLE "metrics_dirty_customer" ADD COLUMN "claimed_until" TIMESTAMP(3);
