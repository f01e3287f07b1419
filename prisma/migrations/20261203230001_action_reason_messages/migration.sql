-- A win-back action's and a flow step's reasons (why it failed, why it was skipped) become a
-- message key and its values (actionReasons.*), which the admin words in the merchant's
-- language. The English sentences stored until now map to their keys where the wording is
-- known, anything else to the generic failure or skip.
ALTER TABLE "winback_action" ADD COLUMN "error_message" JSONB;

UPDATE "winback_action" SET "error_message" = CASE
    WHEN "error" LIKE 'The app stopped while this was being sent%'
      THEN jsonb_build_object('key', 'actionReasons.stoppedMidSend')
    WHEN "error" LIKE 'Email is not set up%'
      THEN jsonb_build_object('key', 'actionReasons.emailNotSetUp')
    WHEN "error" LIKE 'The email template has a problem%'
      THEN jsonb_build_object('key', 'actionReasons.templateProblem')
    WHEN "error" = 'The customer no longer exists in the shop'
      THEN jsonb_build_object('key', 'actionReasons.customerGone')
    WHEN "error" = 'the rule no longer gives a discount'
      THEN jsonb_build_object('key', 'actionReasons.ruleHasNoDiscount')
    WHEN "error" = 'the rule no longer has an offer'
      THEN jsonb_build_object('key', 'actionReasons.ruleHasNoOffer')
    WHEN "error" = 'the rule no longer sends an email'
      THEN jsonb_build_object('key', 'actionReasons.ruleHasNoEmail')
    ELSE jsonb_build_object('key', 'actionReasons.failed')
  END
WHERE "error" IS NOT NULL;

ALTER TABLE "winback_action" DROP COLUMN "error";

ALTER TABLE "winback_action" RENAME COLUMN "error_message" TO "error";

UPDATE "winback_action" SET "detail" = jsonb_set("detail", '{reason}', CASE
    WHEN "detail" ->> 'reason' = 'customer deleted'
      THEN jsonb_build_object('key', 'actionReasons.customerDeleted')
    WHEN "detail" ->> 'reason' = 'the discount code could not be created'
      THEN jsonb_build_object('key', 'actionReasons.noDiscountCode')
    WHEN "detail" ->> 'reason' = 'no email marketing consent'
      THEN jsonb_build_object('key', 'actionReasons.noConsent')
    WHEN "detail" ->> 'suppressed' = 'hard_bounce'
      THEN jsonb_build_object('key', 'actionReasons.suppressedBounce')
    WHEN "detail" ->> 'suppressed' = 'complaint'
      THEN jsonb_build_object('key', 'actionReasons.suppressedComplaint')
    WHEN "detail" ->> 'suppressed' = 'unsubscribe'
      THEN jsonb_build_object('key', 'actionReasons.suppressedUnsubscribe')
    ELSE jsonb_build_object('key', 'actionReasons.skipped')
  END)
WHERE jsonb_typeof("detail" -> 'reason') = 'string';

ALTER TABLE "message_flow_step" ADD COLUMN "error_message" JSONB;

UPDATE "message_flow_step" SET "error_message" = CASE
    WHEN "error" LIKE 'The app stopped while telling Shopify Flow%'
      THEN jsonb_build_object('key', 'actionReasons.stoppedMidFlow')
    WHEN "error" LIKE 'Email is not set up%'
      THEN jsonb_build_object('key', 'actionReasons.emailNotSetUp')
    WHEN "error" = 'The customer no longer exists in the shop'
      THEN jsonb_build_object('key', 'actionReasons.customerGone')
    WHEN "error" LIKE 'The email could not be built%'
      THEN jsonb_build_object('key', 'actionReasons.flowEmailMalformed')
    WHEN "error" ~ '^gave up after [0-9]+ attempts$'
      THEN jsonb_build_object('key', 'actionReasons.gaveUp', 'values',
             jsonb_build_object('attempts', substring("error" from '([0-9]+)')::int))
    ELSE jsonb_build_object('key', 'actionReasons.failed')
  END
WHERE "error" IS NOT NULL;

ALTER TABLE "message_flow_step" DROP COLUMN "error";

ALTER TABLE "message_flow_step" RENAME COLUMN "error_message" TO "error";

UPDATE "message_flow_step" SET "detail" = jsonb_set("detail", '{reason}', CASE
    WHEN "detail" ->> 'reason' = 'no email marketing consent'
      THEN jsonb_build_object('key', 'actionReasons.noConsent')
    WHEN "detail" ->> 'suppressed' = 'hard_bounce'
      THEN jsonb_build_object('key', 'actionReasons.suppressedBounce')
    WHEN "detail" ->> 'suppressed' = 'complaint'
      THEN jsonb_build_object('key', 'actionReasons.suppressedComplaint')
    WHEN "detail" ->> 'suppressed' = 'unsubscribe'
      THEN jsonb_build_object('key', 'actionReasons.suppressedUnsubscribe')
    ELSE jsonb_build_object('key', 'actionReasons.skipped')
  END)
WHERE jsonb_typeof("detail" -> 'reason') = 'string';
