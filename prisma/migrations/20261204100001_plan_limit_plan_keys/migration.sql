-- A plan limit's reason (planLimit.*) names its plans by key (free, growth, pro), which the admin
-- words with the plan's name in the merchant's language. Reasons stored until now hold the
-- English names (Free, Growth, Pro), whose lower case is the key.
UPDATE "winback_rule" SET "last_error" = jsonb_set(
    jsonb_set("last_error", '{values,plan}', to_jsonb(lower("last_error" #>> '{values,plan}'))),
    '{values,upgrade}', to_jsonb(lower("last_error" #>> '{values,upgrade}')))
WHERE "last_error" ->> 'key' LIKE 'planLimit.%';

UPDATE "winback_action" SET "error" = jsonb_set(
    jsonb_set("error", '{values,plan}', to_jsonb(lower("error" #>> '{values,plan}'))),
    '{values,upgrade}', to_jsonb(lower("error" #>> '{values,upgrade}')))
WHERE "error" ->> 'key' LIKE 'planLimit.%';

UPDATE "winback_action" SET "detail" = jsonb_set(
    jsonb_set("detail", '{reason,values,plan}',
      to_jsonb(lower("detail" #>> '{reason,values,plan}'))),
    '{reason,values,upgrade}', to_jsonb(lower("detail" #>> '{reason,values,upgrade}')))
WHERE "detail" #>> '{reason,key}' LIKE 'planLimit.%';

UPDATE "message_flow_step" SET "error" = jsonb_set(
    jsonb_set("error", '{values,plan}', to_jsonb(lower("error" #>> '{values,plan}'))),
    '{values,upgrade}', to_jsonb(lower("error" #>> '{values,upgrade}')))
WHERE "error" ->> 'key' LIKE 'planLimit.%';

UPDATE "message_flow_step" SET "detail" = jsonb_set(
    jsonb_set("detail", '{reason,values,plan}',
      to_jsonb(lower("detail" #>> '{reason,values,plan}'))),
    '{reason,values,upgrade}', to_jsonb(lower("detail" #>> '{reason,values,upgrade}')))
WHERE "detail" #>> '{reason,key}' LIKE 'planLimit.%';
