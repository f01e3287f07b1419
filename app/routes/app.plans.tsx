import { pageTitle } from "~/i18n/meta";
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
  Modal,
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
import { planByKey, type Plan } from "~/services/billing/plans";
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
    message: `Shopify couldn't move you to the ${plan.name} plan just now. Your plan hasn't changed; please try again in a moment.`,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, billing } = await authenticateAdmin(request);
  const input = actionInput.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success) return badRequest({ ok: false, message: "Unrecognised request" });
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
  if (!subscription) return { ok: true, message: "You're on the Free plan" };
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
  return { ok: true, message: "You're on the Free plan" };
};

// Remix gives a thrown answer's headers only to the deepest route's headers function: the
// billing request's way out of the iframe (App Bridge's reauthorize header) must pass here.
export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

const price = (plan: Plan) =>
  plan.monthlyPriceUsd === 0 ? "Free" : `$${plan.monthlyPriceUsd} a month`;
const count = (value: number) => value.toLocaleString("en-US");

export default function PlansPage() {
  const overview = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const [searchParams] = useSearchParams();
  const [choice, setChoice] = useState<Plan | null>(null);
  const current = overview.plans.find((plan) => plan.key === overview.current) as Plan;
  const busy = navigation.state !== "idle";

  // Back from Shopify's confirmation page, or after moving to Free: say what changed.
  const returned = searchParams.has("charge_id");
  useEffect(() => {
    if (returned) shopify.toast.show(`You're on the ${current.name} plan`);
  }, [returned, current.name, shopify]);
  const result = useActionData<typeof action>();
  useEffect(() => {
    if (result?.ok) shopify.toast.show(result.message);
  }, [result, shopify]);

  const confirm = () => {
    if (!choice) return;
    submit({ intent: "change", plan: choice.key }, { method: "post" });
    setChoice(null);
  };
  const rank = (plan: Plan) => overview.plans.findIndex((item) => item.key === plan.key);
  const limit = overview.ordersPerMonth;

  return (
    <Page title="Plans" subtitle="What Rekindle does for your store, and what it costs">
      <Layout>
        {result && !result.ok && (
          <Layout.Section>
            <Banner tone="critical" title="Your plan didn't change">
              <p>{result.message}</p>
            </Banner>
          </Layout.Section>
        )}
        {overview.suggested && (
          <Layout.Section>
            <Banner tone="warning" title="Your store has outgrown its plan">
              <p>
                You took {count(overview.ordersThisMonth)} orders in the last 30 days; the{" "}
                {current.name} plan covers {count(limit ?? 0)}. Win-back emails and personalized
                recommendations are paused until you move to a plan that covers your orders.
              </p>
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Your plan: {current.name}
                </Text>
                {overview.subscription?.test && <Badge tone="info">Test charge</Badge>}
              </InlineStack>
              <Text as="p">{current.summary}</Text>
              {overview.subscription && overview.subscription.trialDays > 0 && (
                <Text as="p" tone="subdued">
                  Starts with a {overview.subscription.trialDays}-day free trial.
                </Text>
              )}
              {overview.subscription?.test && (
                <Text as="p" tone="subdued">
                  This is a test subscription: Shopify charges nothing for it.
                </Text>
              )}
              <BlockStack gap="100">
                <Text as="p">
                  Orders in the last 30 days: {count(overview.ordersThisMonth)}
                  {limit === null ? " (no limit)" : ` of ${count(limit)}`}
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
                      {plan.name}
                    </Text>
                    {plan.key === current.key && <Badge tone="success">Current plan</Badge>}
                  </InlineStack>
                  <Text as="p" variant="headingLg">
                    {price(plan)}
                  </Text>
                  {plan.trialDays > 0 && (
                    <Text as="p" tone="subdued">
                      {plan.trialDays}-day free trial
                    </Text>
                  )}
                  <Text as="p">{plan.summary}</Text>
                  <List>
                    {plan.highlights.map((line) => (
                      <List.Item key={line}>{line}</List.Item>
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
                          ? `Upgrade to ${plan.name}`
                          : `Switch to ${plan.name}`}
                      </Button>
                    )}
                  </Box>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
      <Modal
        open={choice !== null}
        onClose={() => setChoice(null)}
        title={choice ? `Move to the ${choice.name} plan?` : ""}
        primaryAction={{
          content: choice?.monthlyPriceUsd ? "Continue to approval" : `Move to ${choice?.name}`,
          destructive: choice?.monthlyPriceUsd === 0,
          onAction: confirm,
        }}
        secondaryActions={[{ content: "Keep my plan", onAction: () => setChoice(null) }]}
      >
        <Modal.Section>{choice && <ChangeConsequences from={current} to={choice} />}</Modal.Section>
      </Modal>
    </Page>
  );
}

/** What the merchant agrees to, before anything is charged or switched off. */
function ChangeConsequences({ from, to }: { from: Plan; to: Plan }) {
  if (to.monthlyPriceUsd === 0) {
    return (
      <BlockStack gap="200">
        <Text as="p">
          Your {from.name} subscription ends now. Win-back emails stop and your storefront shows
          bestsellers instead of personalized picks.
        </Text>
        <Text as="p">Your customers, segments and rules stay as they are.</Text>
      </BlockStack>
    );
  }
  return (
    <BlockStack gap="200">
      <Text as="p">
        Shopify will ask you to approve {price(to).replace("a month", "every 30 days")}, added to
        your Shopify bill.
        {to.trialDays > 0 && ` The first ${to.trialDays} days are free.`}
      </Text>
      {from.monthlyPriceUsd > 0 && (
        <Text as="p">Your {from.name} subscription ends when you approve the new one.</Text>
      )}
    </BlockStack>
  );
}
