import { Link } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  Checkbox,
  Divider,
  FormLayout,
  InlineError,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { EMAIL_PLACEHOLDERS, validateEmailTemplate } from "~/services/email/render-template";
import { textField, type RuleFormSectionProps } from "./field-props";

const PLACEHOLDER_HELP = `Placeholders: ${EMAIL_PLACEHOLDERS.map((name) => `{{${name}}}`).join(", ")}.`;

/** The template's problems as the merchant types; the server checks the same on save. */
function liveEmailErrors(subject: string, body: string) {
  const errors: { subject?: string; body?: string } = {};
  for (const error of validateEmailTemplate({ subject, body }))
    errors[error.field] ??= error.message;
  return errors;
}

export function ActionsCard(
  props: RuleFormSectionProps & {
    emailConfigured: boolean;
    /** Why the shop's plan does not send win-back emails now (null when it does). */
    emailPlanLimit: string | null;
    currency: string;
  },
) {
  const { values, onChange, errors, emailConfigured, emailPlanLimit, currency } = props;
  const field = textField(props);
  const live = values.emailEnabled ? liveEmailErrors(values.emailSubject, values.emailBody) : {};
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Actions
        </Text>
        {errors.actions && <InlineError message={errors.actions} fieldID="rule-actions" />}

        <Checkbox
          id="rule-actions"
          label="Give a personal discount code"
          helpText="One single-use code per customer, created in Shopify."
          checked={values.discountEnabled}
          onChange={(discountEnabled) => onChange({ discountEnabled })}
          error={errors.discountEnabled}
        />
        {values.discountEnabled && (
          <FormLayout>
            <FormLayout.Group>
              <Select
                label="Discount type"
                options={[
                  { label: "Percentage", value: "percentage" },
                  { label: `Fixed amount (${currency})`, value: "fixed_amount" },
                ]}
                value={values.discountType}
                onChange={(value) =>
                  onChange({ discountType: value as "percentage" | "fixed_amount" })
                }
                error={errors.discountType}
              />
              <TextField
                label="Value"
                type="number"
                min={0}
                suffix={values.discountType === "percentage" ? "%" : currency}
                {...field("discountValue")}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField
                label="Expires after (days)"
                type="number"
                min={1}
                max={365}
                {...field("discountExpiresInDays")}
              />
              <TextField
                label="Minimum subtotal"
                type="number"
                min={0}
                suffix={currency}
                helpText="Leave empty for none."
                {...field("discountMinimumSubtotal")}
              />
              <TextField
                label="Code prefix"
                placeholder="COMEBACK"
                helpText="2–12 capital letters or digits."
                {...field("discountPrefix")}
              />
            </FormLayout.Group>
          </FormLayout>
        )}
        <Divider />

        <Checkbox
          label="Show an offer in the storefront banner"
          helpText="The Rekindle win-back banner (theme app embed) shows it to the customer when logged in, with their code if there is one."
          checked={values.offerEnabled}
          onChange={(offerEnabled) => onChange({ offerEnabled })}
          error={errors.offerEnabled}
        />
        {values.offerEnabled && (
          <FormLayout>
            <TextField label="Title" maxLength={80} {...field("offerTitle")} />
            <TextField
              label="Text"
              maxLength={160}
              helpText="Needed when there is no discount code."
              {...field("offerText")}
            />
          </FormLayout>
        )}
        <Divider />

        <FormLayout>
          <FormLayout.Group>
            <TextField
              label="Add customer tags"
              placeholder="winback, lapsed-2026"
              helpText="Comma-separated, up to 10."
              {...field("addTags")}
            />
            <TextField
              label="Remove customer tags"
              helpText="Comma-separated, up to 10."
              {...field("removeTags")}
            />
          </FormLayout.Group>
        </FormLayout>
        <Divider />

        <Checkbox
          label="Send an email"
          helpText="Only to customers who accept email marketing."
          checked={values.emailEnabled}
          onChange={(emailEnabled) => onChange({ emailEnabled })}
          error={errors.emailEnabled}
        />
        {values.emailEnabled && (
          <BlockStack gap="300">
            {emailPlanLimit && (
              <Banner tone="info" title="Your plan doesn't send these emails">
                <p>
                  {emailPlanLimit} Until then the email step is skipped and the other actions still
                  run. <Link to="/app/plans">Compare plans</Link>
                </p>
              </Banner>
            )}
            {!emailConfigured && (
              <Banner tone="warning">
                <p>
                  Emails go out through your own mail server, which is not set up yet:{" "}
                  <Link to="/app/email-settings">add your SMTP settings</Link>. Until then email
                  actions fail and the other actions still run.
                </p>
              </Banner>
            )}
            <FormLayout>
              <TextField
                label="Subject"
                maxLength={150}
                {...field("emailSubject")}
                error={errors.emailSubject ?? live.subject}
              />
              <TextField
                label="Body"
                multiline={8}
                helpText={PLACEHOLDER_HELP}
                {...field("emailBody")}
                error={errors.emailBody ?? live.body}
              />
            </FormLayout>
            {emailConfigured && (
              <Text as="p" tone="subdued">
                Sent through the server in <Link to="/app/email-settings">email settings</Link>.
              </Text>
            )}
          </BlockStack>
        )}
        <Divider />

        <Checkbox
          label="Trigger Shopify Flow"
          helpText="Starts your Shopify Flow workflows that use the “Win-back action taken” trigger."
          checked={values.flowTrigger}
          onChange={(flowTrigger) => onChange({ flowTrigger })}
          error={errors.flowTrigger}
        />
      </BlockStack>
    </Card>
  );
}
