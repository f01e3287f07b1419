import { useFormats } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { useTranslation } from "react-i18next";
import { message as words, type Message } from "~/i18n/message";
import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import {
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
  useSubmit,
} from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useEffect, useState } from "react";
import { z } from "zod";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { UnsavedChangesBar } from "~/components/admin/UnsavedChangesBar";
import { useRedirectToast, useResultToast } from "~/components/admin/use-result-toast";
import { useStoredMessage } from "~/components/admin/use-stored-message";
import { ActionsCard } from "~/components/winback/ActionsCard";
import { DryRunCard } from "~/components/winback/DryRunCard";
import { EmailDeliveriesCard } from "~/components/winback/EmailDeliveriesCard";
import { AuditLogCard, RunsCard } from "~/components/winback/RuleActivity";
import { RuleReportCards } from "~/components/winback/RuleReportCards";
import {
  AttributionCard,
  AudienceCard,
  LimitsCard,
  TriggerCard,
} from "~/components/winback/RuleSettingsCards";
import { ACTION_STATUSES, statusName, STATUS_TONES } from "~/components/winback/rule-text";
import { getDatabase } from "~/db.server";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError, NotFoundError } from "~/lib/errors";
import {
  idParamOr404,
  rethrowNotFoundAs404,
  invalidForm,
  badRequest,
} from "~/routes/http/answers.server";
import { requireInstalledShop } from "~/services/install.server";
import { featureRefusal, shopEntitlement } from "~/services/billing/entitlement.server";
import { loadEmailSettings } from "~/services/email/email-settings.server";
import { listSegments } from "~/services/segments/segment-store.server";
import { listRuleActions, listRuleRuns } from "~/services/winback/audit-log.server";
import { rulePerformance } from "~/services/email/tracking/email-performance.server";
import { emailDeliverySummary } from "~/services/winback/email-deliveries.server";
import { dryRunRule } from "~/services/winback/plan-run.server";
import {
  configFromValues,
  formDataFromValues,
  NEW_RULE_VALUES,
  placeErrors,
  STARTER_RULE_VALUES,
  valuesFromConfig,
  type PlacedField,
  type RuleFormValues,
} from "~/services/winback/rule-form";
import { ruleFormSchema } from "~/services/winback/rule-form-schema.server";
import { ruleReport } from "~/services/winback/rule-report.server";
import {
  checkRuleConfig,
  deleteRule,
  getRule,
  requestRuleRun,
  RuleValidationError,
  saveRule,
  setRuleStatus,
  type StoredRule,
} from "~/services/winback/rule-store.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const links = () => [{ rel: "stylesheet", href: polarisVizStyles }];

/** "new", or a saved rule's id. */
const ruleId = (param: string | undefined): bigint | null =>
  param === "new" ? null : idParamOr404(param);

const auditQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  status: z.enum(ACTION_STATUSES).nullable().catch(null),
});

export const meta = pageTitle("titles.winbackRule");

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const id = ruleId(params.id);
  const url = new URL(request.url);
  const [segments, emailSettings, rule, entitlement] = await Promise.all([
    listSegments(sql, shop.id),
    loadEmailSettings(sql, shop.id),
    id === null ? null : getRule(sql, shop.id, id),
    shopEntitlement(sql, shop.id, new Date()),
  ]);
  if (id !== null && !rule) throw new Response("Not found", { status: 404 });
  const common = {
    segments: segments.map((segment) => ({ id: segment.id.toString(), name: segment.name })),
    emailConfigured: emailSettings !== null,
    emailPlanLimit: featureRefusal(entitlement, "winbackEmail")?.reason ?? null,
    currency: shop.currency,
  };
  if (!rule) {
    const values = url.searchParams.has("starter") ? STARTER_RULE_VALUES : NEW_RULE_VALUES;
    return { ...common, values, rule: null, history: null };
  }
  const audit = auditQuery.parse({
    page: url.searchParams.get("page") ?? undefined,
    status: url.searchParams.get("status"),
  });
  const [report, runs, emails, emailResults] = await Promise.all([
    ruleReport(sql, shop.id, rule.id, rule.config.attributionDays),
    listRuleRuns(sql, shop.id, rule.id),
    emailDeliverySummary(sql, shop.id, rule.id),
    rulePerformance(sql, shop.id, rule.id),
  ]);
  // Streamed: the audit log is the page's last card, and its rows (up to a page of 50) are the
  // largest part of its markup; the page paints without them.
  const actions = listRuleActions(sql, shop.id, rule.id, {
    page: audit.page,
    status: audit.status ?? undefined,
  });
  return {
    ...common,
    values: valuesFromConfig(rule.name, rule.config),
    rule: {
      id: rule.id.toString(),
      name: rule.name,
      status: rule.status,
      holdoutPercent: rule.config.holdoutPercent,
      attributionDays: rule.config.attributionDays,
      sendsEmail: rule.config.actions.email !== null,
      hasRun: runs.length > 0,
      lastError: rule.lastError,
      retryAt: rule.retryAt?.toISOString() ?? null,
    },
    history: { report, runs, emails, emailResults, audit: { actions, ...audit } },
  };
};

/** What checkRuleConfig finds wrong with a config, by field ({} when nothing). */
async function configErrors(
  sql: SqlQueryable,
  shopId: number,
  config: unknown,
): Promise<Record<string, Message>> {
  try {
    await checkRuleConfig(sql, shopId, config);
    return {};
  } catch (error) {
    if (error instanceof RuleValidationError) return error.fieldErrors;
    throw error;
  }
}

const intentSchema = z.enum(["save", "dry_run", "activate", "pause", "run_now", "delete"]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, redirect } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const id = ruleId(params.id);
  const data = Object.fromEntries(await request.formData());
  const intent = intentSchema.safeParse(data.intent);
  if (!intent.success)
    return badRequest({ ok: false as const, message: words("common.unrecognisedRequest") });

  if (intent.data === "save" || intent.data === "dry_run") {
    const form = ruleFormSchema.safeParse(data);
    if (!form.success)
      return badRequest({ ok: false as const, message: words("common.unrecognisedRequest") });
    const config = configFromValues(form.data);
    try {
      if (intent.data === "save") {
        const saved = await saveRule(sql, shop.id, {
          id: id ?? undefined,
          name: form.data.name,
          config,
        });
        if (id === null) return redirect(`/app/winback/${saved.id}?saved=1`);
        return { ok: true as const, message: words("winbackRule.saved", { name: saved.name }) };
      }
      // Checked as saveRule would, then planned in memory: a dry run writes nothing.
      const existing = id === null ? null : await getRule(sql, shop.id, id);
      if (id !== null && !existing) throw new NotFoundError("That rule does not exist");
      const rule: StoredRule = {
        id: existing?.id ?? 0n,
        shopId: shop.id,
        name: form.data.name,
        status: existing?.status ?? "draft",
        config: await checkRuleConfig(sql, shop.id, config),
        activatedAt: existing?.activatedAt ?? null,
        lastRunAt: existing?.lastRunAt ?? null,
        lastError: null,
        retryAt: null,
        updatedAt: new Date(),
      };
      return { ok: true as const, dryRun: await dryRunRule(sql, rule, new Date()) };
    } catch (error) {
      if (!(error instanceof RuleValidationError)) rethrowNotFoundAs404(error);
      // saveRule stops at a bad name; the settings' problems belong on the same screen.
      const settings = error.fieldErrors.name ? await configErrors(sql, shop.id, config) : {};
      return invalidForm({
        ok: false as const,
        fieldErrors: { ...settings, ...error.fieldErrors },
      });
    }
  }

  if (id === null)
    return invalidForm({ ok: false as const, message: words("winbackRule.saveFirst") });
  try {
    switch (intent.data) {
      case "activate":
        await setRuleStatus(sql, shop.id, id, "active");
        return {
          ok: true as const,
          message: words("winbackRule.started"),
        };
      case "pause":
        await setRuleStatus(sql, shop.id, id, "paused");
        return { ok: true as const, message: words("winbackRule.paused") };
      case "run_now":
        await requestRuleRun(sql, shop.id, id);
        return {
          ok: true as const,
          message: words("winbackRule.runRequested"),
        };
      case "delete":
        await deleteRule(sql, shop.id, id);
        return redirect("/app/winback?deleted=1");
    }
  } catch (error) {
    if (error instanceof InvalidInputError) {
      return invalidForm({
        ok: false as const,
        message: words("common.verbatim", { text: error.message }),
      });
    }
    rethrowNotFoundAs404(error);
  }
};

// A dry run changes nothing, so the page keeps its data (and the merchant's unsaved edits).
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formData,
  defaultShouldRevalidate,
}) => (formData?.get("intent") === "dry_run" ? false : defaultShouldRevalidate);

/** The errors a save or dry run answered with ({} for any other answer). */
function errorsOf(data: SerializeFrom<typeof action> | undefined): Record<string, Message> {
  return data && "fieldErrors" in data ? (data.fieldErrors ?? {}) : {};
}

/** The actions that ask first: each reaches customers or cannot be taken back. */
type Confirmable = "activate" | "run_now" | "pause" | "delete";

function RuleEditor({ initial }: { initial: RuleFormValues }) {
  const { rule, history, segments, emailConfigured, emailPlanLimit, currency } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const dryRun = useFetcher<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [values, setValues] = useState(initial);
  const [confirming, setConfirming] = useState<Confirmable | null>(null);
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);
  const busy = navigation.state !== "idle";
  const pending = navigation.formData?.get("intent");
  const { t } = useTranslation();
  const formats = useFormats();
  const storedMessage = useStoredMessage();
  const say = (text: Message) => t(text.key, text.values);
  useResultToast(result && "message" in result ? result : undefined);

  const dryResult = dryRun.data && "dryRun" in dryRun.data ? dryRun.data.dryRun : null;
  // The errors of whichever check answered last, the save or the dry run.
  const [fieldErrors, setFieldErrors] = useState<Record<string, Message>>({});
  useEffect(() => setFieldErrors(errorsOf(result)), [result]);
  useEffect(() => setFieldErrors(errorsOf(dryRun.data)), [dryRun.data]);
  const placed = placeErrors(fieldErrors);
  const errors: Partial<Record<PlacedField, string>> = {};
  for (const [field, text] of Object.entries(placed.fields) as Array<[PlacedField, Message]>) {
    errors[field] = say(text);
  }
  const section = {
    values,
    onChange: (patch: Partial<RuleFormValues>) =>
      setValues((current) => ({ ...current, ...patch })),
    errors,
  };
  const post = (intent: string, withForm = false) =>
    submit({ intent, ...(withForm ? formDataFromValues(values) : {}) }, { method: "post" });

  const refusal = result && !result.ok && "message" in result ? say(result.message) : undefined;
  const title = rule ? rule.name : t("winbackRule.newRule");
  const start = {
    content: t("winbackRule.start"),
    onAction: () => setConfirming("activate"),
    disabled: dirty,
    loading: pending === "activate",
  };
  const runNow = {
    content: t("winbackRule.runNow"),
    onAction: () => setConfirming("run_now"),
    disabled: dirty,
    loading: pending === "run_now",
  };
  const pause = {
    content: t("winbackRule.pause"),
    onAction: () => setConfirming("pause"),
    loading: pending === "pause",
  };
  const remove = {
    content: t("common.delete"),
    destructive: true,
    onAction: () => setConfirming("delete"),
  };
  const save = {
    content: t("common.save"),
    onAction: () => post("save", true),
    loading: pending === "save",
    disabled: busy,
  };
  const active = rule?.status === "active";
  const primary = !rule ? save : active ? runNow : start;
  const secondary = !rule ? [] : active ? [pause] : [remove];

  return (
    <Page>
      <PageTitleBar
        title={title}
        back={{ content: t("nav.winback"), url: "/app/winback" }}
        primaryAction={primary}
        secondaryActions={secondary}
      />
      <UnsavedChangesBar
        id="winback-rule-save-bar"
        dirty={dirty}
        saving={pending === "save"}
        onSave={() => post("save", true)}
        onDiscard={() => setValues(initial)}
      />
      <ConfirmModal
        id="winback-start"
        open={confirming === "activate"}
        title={t("winbackRule.startQuestion", { name: title })}
        confirmLabel={t("winbackRule.start")}
        onConfirm={() => post("activate")}
        onClose={() => setConfirming(null)}
      >
        <p>{t("winbackRule.startText")}</p>
      </ConfirmModal>
      <ConfirmModal
        id="winback-run-now"
        open={confirming === "run_now"}
        title={t("winbackRule.runNowQuestion", { name: title })}
        confirmLabel={t("winbackRule.runNow")}
        onConfirm={() => post("run_now")}
        onClose={() => setConfirming(null)}
      >
        <p>{t("winbackRule.runNowText")}</p>
      </ConfirmModal>
      <ConfirmModal
        id="winback-pause"
        open={confirming === "pause"}
        title={t("winbackRule.pauseQuestion", { name: title })}
        confirmLabel={t("winbackRule.pause")}
        onConfirm={() => post("pause")}
        onClose={() => setConfirming(null)}
      >
        <p>{t("winbackRule.pauseText")}</p>
      </ConfirmModal>
      <ConfirmModal
        id="winback-delete"
        open={confirming === "delete"}
        title={t("winbackRule.deleteQuestion", { name: title })}
        confirmLabel={t("winbackRule.deleteRule")}
        destructive
        onConfirm={() => post("delete")}
        onClose={() => setConfirming(null)}
      >
        <p>{t("winbackRule.deleteText")}</p>
      </ConfirmModal>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineStack gap="200" blockAlign="center">
              {rule ? (
                <Badge tone={STATUS_TONES[rule.status]}>{statusName(t, rule.status)}</Badge>
              ) : (
                <Badge>{t("winbackRule.notSaved")}</Badge>
              )}
              {rule && !active && dirty && (
                <Text as="span" tone="subdued">
                  {t("winbackRule.saveChangesFirst")}
                </Text>
              )}
            </InlineStack>
            {refusal && (
              <Banner tone="critical">
                <p>{refusal}</p>
              </Banner>
            )}
            {rule?.lastError && (
              <Banner tone="critical" title={t("winbackRule.lastRunFailed")}>
                <BlockStack gap="100">
                  <p>{storedMessage(rule.lastError, "ruleFailures.unexpected")}</p>
                  {rule.retryAt && (
                    <p>{t("winbackRule.retryAt", { when: formats.utcDateTime(rule.retryAt) })}</p>
                  )}
                </BlockStack>
              </Banner>
            )}
            {Object.keys(fieldErrors).length > 0 && (
              <Banner tone="critical" title={t("winbackRule.needsAttention")}>
                <p>{placed.other.map(say).join(" ") || t("winbackRule.checkFields")}</p>
              </Banner>
            )}
            <Card>
              <TextField
                label={t("winbackRule.name")}
                autoComplete="off"
                value={values.name}
                onChange={(name) => section.onChange({ name })}
                error={errors.name}
                maxLength={80}
              />
            </Card>
            <TriggerCard {...section} segments={segments} />
            <AudienceCard {...section} />
            <LimitsCard {...section} />
            <ActionsCard
              {...section}
              emailConfigured={emailConfigured}
              emailPlanLimit={emailPlanLimit ? say(emailPlanLimit) : null}
              currency={currency}
            />
            <AttributionCard {...section} />
            <Card>
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Text as="p" tone="subdued">
                  {t("winbackRule.dryRunHint")}
                </Text>
                <Button
                  loading={dryRun.state !== "idle"}
                  onClick={() =>
                    dryRun.submit(
                      { intent: "dry_run", ...formDataFromValues(values) },
                      { method: "post" },
                    )
                  }
                >
                  {t("dryRun.title")}
                </Button>
              </InlineStack>
            </Card>
            {dryResult && <DryRunCard result={dryResult} saved={rule !== null} />}
            {rule && history && (
              <>
                <RuleReportCards
                  report={history.report}
                  holdoutPercent={rule.holdoutPercent}
                  attributionDays={rule.attributionDays}
                  currency={currency}
                />
                {(rule.sendsEmail || history.emails.sent + history.emails.failed > 0) && (
                  <EmailDeliveriesCard
                    summary={history.emails}
                    results={history.emailResults}
                    currency={currency}
                  />
                )}
                <RunsCard runs={history.runs} />
                <AuditLogCard
                  actions={history.audit.actions}
                  page={history.audit.page}
                  status={history.audit.status}
                />
              </>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
      <PageHelp page="winbackRule" title={title} />
    </Page>
  );
}

export default function WinbackRulePage() {
  const { values, rule } = useLoaderData<typeof loader>();
  // Here, not in the editor: the editor remounts after each save.
  useRedirectToast("saved", words("winbackRule.saved", { name: rule?.name ?? "" }));
  // A new key when the saved rule changes (after a save, or another rule) resets the form to
  // it; a status change or an audit page leaves unsaved edits alone.
  return <RuleEditor key={`${rule?.id ?? "new"}:${JSON.stringify(values)}`} initial={values} />;
}
