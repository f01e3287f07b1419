import { NumberField } from "~/components/admin/NumberField";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
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
import { placeholderList } from "~/components/email/placeholder-text";
import { validateEmailTemplate } from "~/services/email/render-template";
import { textField, type RuleFormSectionProps } from "./field-props";

/** The template's problems as the merchant types; the server checks the same on save. */
function liveEmailErrors(t: TFunction, subject: string, body: string) {
  const errors: { subject?: string; body?: string } = {};
  for (const { field, problem } of validateEmailTemplate({ subject, body }))
    errors[field] ??= t(problem.key, problem.values);
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
  const { t } = useTranslation();
  const { values, onChange, errors, emailConfigured, emailPlanLimit, currency } = props;
  const field = textField(props);
  const live = values.emailEnabled ? liveEmailErrors(t, values.emailSubject, values.emailBody) : {};
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("ruleForm.actions")}
        </Text>
        {errors.actions && <InlineError message={errors.actions} fieldID="rule-actions" />}

        <Checkbox
          id="rule-actions"
          label={t("ruleForm.giveAPersonalDiscount")}
          helpText={t("ruleForm.oneSingleUseCode")}
          checked={values.discountEnabled}
          onChange={(discountEnabled) => onChange({ discountEnabled })}
          error={errors.discountEnabled}
        />
        {values.discountEnabled && (
          <FormLayout>
            <FormLayout.Group>
              <Select
                label={t("ruleForm.discountType")}
                options={[
                  { label: t("ruleForm.percentage"), value: "percentage" },
                  { label: t("ruleForm.fixedAmount", { currency }), value: "fixed_amount" },
                ]}
                value={values.discountType}
                onChange={(value) =>
                  onChange({ discountType: value as "percentage" | "fixed_amount" })
                }
                error={errors.discountType}
              />
              <NumberField
                label={t("ruleForm.value")}
                min={0}
                suffix={values.discountType === "percentage" ? "%" : currency}
                {...field("discountValue")}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <NumberField
                label={t("ruleForm.expiresAfterDays")}
                min={1}
                max={365}
                {...field("discountExpiresInDays")}
              />
              <NumberField
                label={t("ruleForm.minimumSubtotal")}
                min={0}
                suffix={currency}
                helpText={t("ruleForm.leaveEmptyForNone")}
                {...field("discountMinimumSubtotal")}
              />
              <TextField
                label={t("ruleForm.codePrefix")}
                placeholder="COMEBACK"
                helpText={t("ruleForm.capitalLettersOrDigits")}
                {...field("discountPrefix")}
              />
            </FormLayout.Group>
          </FormLayout>
        )}
        <Divider />

        <Checkbox
          label={t("ruleForm.showAnOfferIn")}
          helpText={t("ruleForm.theRekindleWinBack")}
          checked={values.offerEnabled}
          onChange={(offerEnabled) => onChange({ offerEnabled })}
          error={errors.offerEnabled}
        />
        {values.offerEnabled && (
          // The merchant's texts may be in another language than the admin's (rtl.css).
          <div data-direction="auto">
            <FormLayout>
              <TextField label={t("ruleForm.title")} maxLength={80} {...field("offerTitle")} />
              <TextField
                label={t("ruleForm.text")}
                maxLength={160}
                helpText={t("ruleForm.neededWhenThereIs")}
                {...field("offerText")}
              />
            </FormLayout>
          </div>
        )}
        <Divider />

        <FormLayout>
          <FormLayout.Group>
            <TextField
              label={t("ruleForm.addCustomerTags")}
              placeholder="winback, lapsed-2026"
              helpText={t("ruleForm.commaSeparatedUpTo")}
              {...field("addTags")}
            />
            <TextField
              label={t("ruleForm.removeCustomerTags")}
              helpText={t("ruleForm.commaSeparatedUpTo")}
              {...field("removeTags")}
            />
          </FormLayout.Group>
        </FormLayout>
        <Divider />

        <Checkbox
          label={t("ruleForm.sendAnEmail")}
          helpText={t("ruleForm.onlyToCustomersWho")}
          checked={values.emailEnabled}
          onChange={(emailEnabled) => onChange({ emailEnabled })}
          error={errors.emailEnabled}
        />
        {values.emailEnabled && (
          <BlockStack gap="300">
            {emailPlanLimit && (
              <Banner tone="info" title={t("ruleForm.yourPlanDoesnT")}>
                <p>
                  {emailPlanLimit} {t("ruleForm.emailSkipped")}{" "}
                  <Link to="/app/plans">{t("recommendationsReport.comparePlans")}</Link>
                </p>
              </Banner>
            )}
            {!emailConfigured && (
              <Banner tone="warning">
                <p>
                  {t("ruleForm.smtpMissing")}{" "}
                  <Link to="/app/email-settings">{t("ruleForm.addSmtp")}</Link>{" "}
                  {t("ruleForm.smtpMissingAfter")}
                </p>
              </Banner>
            )}
            <div data-direction="auto">
              <FormLayout>
                <TextField
                  label={t("ruleForm.subject")}
                  maxLength={150}
                  {...field("emailSubject")}
                  error={errors.emailSubject ?? live.subject}
                />
                <TextField
                  label={t("ruleForm.body")}
                  multiline={8}
                  helpText={t("ruleForm.placeholders", { list: placeholderList(t) })}
                  {...field("emailBody")}
                  error={errors.emailBody ?? live.body}
                />
              </FormLayout>
            </div>
            {emailConfigured && (
              <Text as="p" tone="subdued">
                {t("ruleForm.sentThrough")}{" "}
                <Link to="/app/email-settings">{t("titles.emailSettings")}</Link>
              </Text>
            )}
          </BlockStack>
        )}
        <Divider />

        <Checkbox
          label={t("ruleForm.triggerShopifyFlow")}
          helpText={t("ruleForm.startsYourShopifyFlow")}
          checked={values.flowTrigger}
          onChange={(flowTrigger) => onChange({ flowTrigger })}
          error={errors.flowTrigger}
        />
      </BlockStack>
    </Card>
  );
}
