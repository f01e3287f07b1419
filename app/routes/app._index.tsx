import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { getShopOverview } from "~/services/shop-overview.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { overview: await getShopOverview(session.shop) };
};

export default function Dashboard() {
  const { overview } = useLoaderData<typeof loader>();
  const figures = [
    { label: "Customers", value: overview.customers },
    { label: "Orders", value: overview.orders },
    { label: "Products", value: overview.products },
  ];
  return (
    <Page title="Dashboard">
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            {figures.map((figure) => (
              <Card key={figure.label}>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingSm">
                    {figure.label}
                  </Text>
                  <Text as="p" variant="heading2xl" id={`overview-${figure.label.toLowerCase()}`}>
                    {figure.value.toLocaleString()}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <Text as="p" tone="subdued">
              {overview.lastWebhookAt
                ? `Last update from Shopify: ${new Date(overview.lastWebhookAt).toLocaleString()}`
                : "Waiting for the first update from Shopify."}
            </Text>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
