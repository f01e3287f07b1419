import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { PageHelp } from "~/components/admin/PageHelp";
import { getDatabase } from "~/db.server";
import { useFormats } from "~/i18n/format";
import { pageTitle } from "~/i18n/meta";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";
import { requireInstalledShop } from "~/services/install.server";
import { listSegments } from "~/services/segments/segment-store.server";
import { SEGMENT_TEMPLATES } from "~/services/segments/templates";

export const meta = pageTitle("nav.segments");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const segments = await listSegments(getDatabase().sql, shop.id);
  return {
    segments: segments.map(({ id, name, members, shopifyTag }) => ({
      id: id.toString(),
      name,
      members,
      shopifyTag,
    })),
  };
};

/** Ready-made segments, each opening the builder filled in. */
function TemplatesCard() {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("segments.templatesTitle")}
        </Text>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
          {SEGMENT_TEMPLATES.map((template) => (
            <BlockStack key={template.key} gap="100">
              <Link to={`/app/segments/new?template=${template.key}`}>
                {t(`segmentTemplates.${template.key}.name`)}
              </Link>
              <Text as="p" tone="subdued">
                {t(`segmentTemplates.${template.key}.description`)}
              </Text>
            </BlockStack>
          ))}
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

export default function SegmentsPage() {
  const { segments } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const formats = useFormats();
  const navigate = useNavigate();
  return (
    <Page>
      <TitleBar title={t("nav.segments")}>
        <button variant="primary" onClick={() => navigate("/app/segments/new")}>
          {t("segments.create")}
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card padding="0">
              <IndexTable
                resourceName={{
                  singular: t("segments.resourceSingular"),
                  plural: t("segments.resourcePlural"),
                }}
                itemCount={segments.length}
                selectable={false}
                emptyState={
                  <EmptyState
                    heading={t("segments.emptyTitle")}
                    action={{ content: t("segments.create"), url: "/app/segments/new" }}
                    image=""
                  >
                    <p>{t("segments.emptyNext")}</p>
                  </EmptyState>
                }
                headings={[
                  { title: t("segments.columnSegment") },
                  { title: t("nav.customers"), alignment: "end" },
                  { title: t("segments.columnTag") },
                ]}
              >
                {segments.map((segment, index) => (
                  <IndexTable.Row id={segment.id} key={segment.id} position={index}>
                    <IndexTable.Cell>
                      <Link to={`/app/segments/${segment.id}`}>{segment.name}</Link>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formats.number(segment.members)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{segment.shopifyTag ?? "—"}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
            {segments.length > 0 && (
              <div>
                <Button variant="primary" url="/app/segments/new">
                  {t("segments.create")}
                </Button>
              </div>
            )}
            <TemplatesCard />
          </BlockStack>
        </Layout.Section>
      </Layout>
      <PageHelp page="segments" title={t("nav.segments")} />
    </Page>
  );
}
