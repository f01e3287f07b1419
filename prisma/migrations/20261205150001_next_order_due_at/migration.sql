-- The date a customer's next order is due, anchored at their latest order (see score-customer.ts).
-- Rows scored before this column get it at the next recompute or rescoring.
ALTER TABLE "customer_metrics" ADD COLUMN "next_order_due_at" TIMESTAMP(3);
