-- A win-back rule's last-run error becomes a message key (ruleFailures.*), which the admin
-- words in the merchant's language. The English sentences stored until now map to their keys:
-- missing or unreadable email settings by their wording, any other error of ours to the
-- generic failure, anything else to the unexpected one.
ALTER TABLE "winback_rule" ADD COLUMN "last_error_message" JSONB;

UPDATE "winback_rule" SET "last_error_message" = CASE
    WHEN "last_error" LIKE '%has no email (SMTP) settings%'
      THEN jsonb_build_object('key', 'ruleFailures.emailMissing')
    WHEN "last_error" LIKE '%SMTP password can no longer be decrypted%'
      THEN jsonb_build_object('key', 'ruleFailures.emailUnreadable')
    WHEN "last_error" LIKE 'The last run failed: %'
      THEN jsonb_build_object('key', 'ruleFailures.failed')
    ELSE jsonb_build_object('key', 'ruleFailures.unexpected')
  END
WHERE "last_error" IS NOT NULL;

ALTER TABLE "winback_rule" DROP COLUMN "last_error";

ALTER TABLE "winback_rule" RENAME COLUMN "last_error_message" TO "last_error";
