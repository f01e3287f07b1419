import { pageTitle } from "~/i18n/meta";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { message } from "~/i18n/message";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useEffect, useState } from "react";
import { z } from "zod";
import { getDatabase } from "~/db.server";
import { getEnv } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { badRequest } from "~/routes/http/answers.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { planOverview, recordCancelledSubscription } from "~/services/billing/plan-overview.server";
import { planByKey, type Plan, type PlanKey } from "~/services/billing/plans";
import { ConfirmModal } from "~/components/admin/ConfirmModal";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { useResultToast } from "~/components/admin/use-result-toast";
import { activeSubscriptions } from "~/services/billing/subscription-store.server";
import { requireInstalledShop } from "~/services/install.server";
import { adminContextTransport } from "~/services/shopify/admin-context-transport.server";

export const meta = pageTitle("nav.plans");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  return planOverview(getDatabase().sql, shop.id, adminContextTransport(admin), new Date());
};

const actionInput = z.object({
  intent: z.literal("change"),
  plan: z.enum(["free", "growth", "pro"]),
});

/** Where Shopify sends the merchant after approving: this page, inside Shopify admin. */
function returnUrl(shopDomain: string) {
  const store = shopDomain.replace(/\.myshopify\.com$/, "");
  return `https://admin.shopify.com/store/${store}/apps/${getEnv().SHOPIFY_API_KEY}/app/plans`;
}

/** A plan change Shopify could not take (refused, or out of reach): the page says so. */
const notChanged = (plan: Plan, error: unknown) => {
  logger.warn({ plan: plan.key, err: error }, "plan change failed at Shopify");
  return {
    ok: false,
    message: message("plans.notChanged", { plan: plan.key }),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, billing } = await authenticateAdmin(request);
  const input = actionInput.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success)
    return badRequest({ ok: false, message: message("common.unrecognisedRequest") });
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const target = planByKey(input.data.plan) as Plan;
  // Charges are tests (no money taken) everywhere but production.
  const isTest = getEnv().NODE_ENV !== "production";
  if (target.monthlyPriceUsd > 0) {
    try {
      // Throws the redirect to Shopify's confirmation page, out of the admin's iframe.
      await billing.request({ plan: target.name, isTest, returnUrl: returnUrl(session.shop) });
    } catch (error) {
      if (error instanceof Response) throw error;
      return notChanged(target, error);
    }
  }
  const [subscription] = await activeSubscriptions(sql, shop.id);
  if (!subscription) return { ok: true, message: message("plans.onPlan", { plan: "free" }) };
  try {
    const cancelled = await billing.cancel({
      subscriptionId: subscription.id,
      isTest,
      prorate: true,
    });
    await recordCancelledSubscription(sql, shop.id, cancelled, new Date());
  } catch (error) {
    if (error instanceof Response) throw error;
    return notChanged(target, error);
  }
  return { ok: true, message: message("plans.onPlan", { plan: "free" }) };
};

// Remix gives a thrown answer's headers only to the deepest route's headers function: the
// billing request's way out of the iframe (App Bridge's reauthorize header) must pass here.
export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

/** What each plan includes beyond its order limit: `plans.catalog.<plan>.<line>`. */
const HIGHLIGHTS: Record<PlanKey, readonly string[]> = {
  free: ["insights", "winbackRules", "bestsellers"],
  growth: ["everythingInFree", "winbackEmails", "personalized"],
  pro: ["everythingInGrowth", "anyVolume"],
};

/** A plan's name in the page's language (Shopify's subscription keeps the English `plan.name`). */
const planName = (t: TFunction, plan: Plan) => t(`plans.catalog.${plan.key}.name`);

/** "$49 a month" (or every 30 days, as Shopify bills it), in the page's language. */
const price = (t: TFunction, locale: string, plan: Plan, key = "plans.perMonth") =>
  plan.monthlyPriceUsd === 0
    ? t("plans.free")
    : t(key, {
        price: new Intl.NumberFormat(locale, {
          style: "currency",
          currency: "USD",
          minimumFractionDigits: 0,
          maximumFractionDigits: 2,
        }).format(plan.monthlyPriceUsd),
      });

export default function PlansPage() {
  const overview = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [searchParams] = useSearchParams();
  const [choice, setChoice] = useState<Plan | null>(null);
  const current = overview.plans.find((plan) => plan.key === overview.current) as Plan;
  const busy = navigation.state !== "idle";
  const { t } = useTranslation();
  const formats = useFormats();
  const count = formats.number;

  // Back from Shopify's confirmation page, or after moving to Free: say what changed.
  const returned = searchParams.has("charge_id");
  useEffect(() => {
    if (returned) shopify.toast.show(t("plans.onPlan", { plan: current.key }));
  }, [returned, current.key, shopify, t]);
  const result = useActionData<typeof action>();
  useResultToast(result);

  const confirm = () => {
    if (!choice) return;
    submit({ intent: "change", plan: choice.key }, { method: "post" });
    setChoice(null);
  };
  const rank = (plan: Plan) => overview.plans.findIndex((item) => item.key === plan.key);
  const limit = overview.ordersPerMonth;

  return (
    <Page>
      <PageTitleBar title={t("nav.plans")} />
      <Layout>
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("plans.subtitle")}
          </Text>
        </Layout.Section>
        {result && !result.ok && (
          <Layout.Section>
            <Banner tone="critical" title={t("plans.didNotChange")}>
              <p>{t(result.message.key, result.message.values)}</p>
            </Banner>
          </Layout.Section>
        )}
        {overview.suggested && (
          <Layout.Section>
            <Banner tone="warning" title={t("plans.outgrownTitle")}>
              <p>
                {t("plans.outgrownText", {
                  orders: count(overview.ordersThisMonth),
                  plan: planName(t, current),
                  limit: count(limit ?? 0),
                })}
              </p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {t("plans.yourPlan", { plan: planName(t, current) })}
                </Text>
                {overview.subscription?.test && <Badge tone="info">{t("plans.testCharge")}</Badge>}
              </InlineStack>
              <Text as="p">{t(`plans.catalog.${current.key}.summary`)}</Text>
              {overview.subscription && overview.subscription.trialDays > 0 && (
                <Text as="p" tone="subdued">
                  {t("plans.startsWithTrial", { count: overview.subscription.trialDays })}
                </Text>
              )}
              {overview.subscription?.test && (
                <Text as="p" tone="subdued">
                  {t("plans.testSubscription")}
                </Text>
              )}
              <BlockStack gap="100">
                <Text as="p">
                  {limit === null
                    ? t("plans.ordersNoLimit", { orders: count(overview.ordersThisMonth) })
                    : t("plans.ordersOfLimit", {
                        orders: count(overview.ordersThisMonth),
                        limit: count(limit),
                      })}
                </Text>
                {limit !== null && (
                  <ProgressBar
                    progress={Math.min(100, Math.round((overview.ordersThisMonth / limit) * 100))}
                    tone={overview.ordersThisMonth > limit ? "critical" : "primary"}
                    size="small"
                  />
                )}
              </BlockStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            {overview.plans.map((plan) => (
              <Card key={plan.key}>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h3" variant="headingMd">
                      {planName(t, plan)}
                    </Text>
                    {plan.key === current.key && (
                      <Badge tone="success">{t("plans.currentPlan")}</Badge>
                    )}
                  </InlineStack>
                  <Text as="p" variant="headingLg">
                    {price(t, formats.locale, plan)}
                  </Text>
                  {plan.trialDays > 0 && (
                    <Text as="p" tone="subdued">
                      {t("plans.trial", { count: plan.trialDays })}
                    </Text>
                  )}
                  <Text as="p">{t(`plans.catalog.${plan.key}.summary`)}</Text>
                  <List>
                    <List.Item>
                      {plan.ordersPerMonth === null
                        ? t("plans.noOrderLimit")
                        : t("plans.upToOrders", { orders: count(plan.ordersPerMonth) })}
                    </List.Item>
                    {HIGHLIGHTS[plan.key].map((line) => (
                      <List.Item key={line}>{t(`plans.catalog.${plan.key}.${line}`)}</List.Item>
                    ))}
                  </List>
                  <Box>
                    {plan.key !== current.key && (
                      <Button
                        variant={rank(plan) > rank(current) ? "primary" : "secondary"}
                        onClick={() => setChoice(plan)}
                        loading={busy}
                      >
                        {rank(plan) > rank(current)
                          ? t("plans.upgradeTo", { plan: planName(t, plan) })
                          : t("plans.switchTo", { plan: planName(t, plan) })}
                      </Button>
                    )}
                  </Box>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
      <ConfirmModal
        id="plans-change"
        open={choice !== null}
        title={choice ? t("plans.moveQuestion", { plan: planName(t, choice) }) : ""}
        confirmLabel={
          choice?.monthlyPriceUsd
            ? t("plans.continueToApproval")
            : t("plans.moveTo", { plan: choice ? planName(t, choice) : "" })
        }
        destructive={choice?.monthlyPriceUsd === 0}
        onConfirm={confirm}
        onClose={() => setChoice(null)}
      >
        {choice && <ChangeConsequences from={current} to={choice} />}
      </ConfirmModal>
      <PageHelp page="plans" title={t("nav.plans")} />
    </Page>
  );
}

/** What the merchant agrees to, before anything is charged or switched off. */
function ChangeConsequences({ from, to }: { from: Plan; to: Plan }) {
  const { t, i18n } = useTranslation();
  // Plain paragraphs: Shopify admin draws the modal's body outside the app's styles.
  if (to.monthlyPriceUsd === 0) {
    return (
      <>
        <p>{t("plans.toFreeConsequence", { plan: planName(t, from) })}</p>
        <p>{t("plans.dataStays")}</p>
      </>
    );
  }
  return (
    <>
      <p>
        {t("plans.approve", { price: price(t, i18n.language, to, "plans.every30Days") })}
        {to.trialDays > 0 && ` ${t("plans.firstDaysFree", { count: to.trialDays })}`}
      </p>
      {from.monthlyPriceUsd > 0 && <p>{t("plans.endsOnApproval", { plan: planName(t, from) })}</p>}
    </>
  );
}
