-- A dead letter's reason becomes a message key and its values (deadReasons.*), which the admin
-- words in the merchant's language. The English sentences the sync wrote until now map to
-- their keys. A text that matches none is left out (NULL), which the page shows as its
-- generic "could not read or apply" sentence.
ALTER TABLE "webhook_inbox" ADD COLUMN "dead_reason_message" JSONB;

UPDATE "webhook_inbox" SET "dead_reason_message" = CASE
    WHEN "dead_reason" LIKE 'Rekindle tried to save this update % times without success%'
      THEN jsonb_build_object('key', 'deadReasons.gaveUp', 'values',
             jsonb_build_object('attempts', substring("dead_reason" from 'update ([0-9]+) times')::int))
    WHEN "dead_reason" LIKE 'Shopify''s message for this update arrived incomplete or damaged%'
      THEN jsonb_build_object('key', 'deadReasons.damaged')
    WHEN "dead_reason" = 'Rekindle doesn''t handle this kind of update.'
      THEN jsonb_build_object('key', 'deadReasons.unhandledTopic')
    WHEN "dead_reason" LIKE 'Shopify''s message for this request doesn''t have the shape%'
      THEN jsonb_build_object('key', 'deadReasons.wrongShape')
    WHEN "dead_reason" LIKE 'Rekindle couldn''t save this %: one of its values is outside what it can store.'
      THEN jsonb_build_object('key', 'deadReasons.valueOutOfRange')
    WHEN "dead_reason" LIKE 'This update doesn''t contain a Shopify %'
      THEN jsonb_build_object('key', 'deadReasons.notARecord')
    WHEN "dead_reason" LIKE 'The % is missing.'
      THEN jsonb_build_object('key', 'deadReasons.idMissing')
    WHEN "dead_reason" ~ '^The .* ''.*'' isn''t a Shopify id Rekindle can store\.$'
      THEN jsonb_build_object('key', 'deadReasons.idUnusable', 'values',
             jsonb_build_object('value', substring("dead_reason" from ' ''(.*)'' isn''t a Shopify id')))
    WHEN "dead_reason" ~ '^The .* ''.*'' isn''t in the shape Shopify documents\.$'
      THEN jsonb_build_object('key', 'deadReasons.partMalformed', 'values',
             jsonb_build_object('value', substring("dead_reason" from ' ''(.*)'' isn''t in the shape')))
  END
WHERE "dead_reason" IS NOT NULL;

ALTER TABLE "webhook_inbox" DROP COLUMN "dead_reason";

ALTER TABLE "webhook_inbox" RENAME COLUMN "dead_reason_message" TO "dead_reason";
