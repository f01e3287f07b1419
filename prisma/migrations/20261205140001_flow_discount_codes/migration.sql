-- A flow email step's discount for one customer ({code, id, endsAt}), kept with the step's
-- record before the email goes out, so that a retried step sends the code it created.
ALTER TABLE "message_flow_step" ADD COLUMN "discount" JSONB;

-- The customer's own code an email carried: an order that uses it is credited to that email.
ALTER TABLE "email_message" ADD COLUMN "discount_code" TEXT;

CREATE INDEX "email_message_shop_id_discount_code_idx" ON "email_message"("shop_id", "discount_code");
