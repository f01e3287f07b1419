import { Await } from "@remix-run/react";
import { BlockStack, Card, DataTable, Select, SkeletonBodyText, Text } from "@shopify/polaris";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import type { ViewedNotBoughtProduct } from "~/services/behaviour/viewed-not-bought.server";

/** The value of "All customers" in the segment picker (and its absence in the URL). */
export const ALL_CUSTOMERS = "";

/**
 * The products a segment's customers looked at most in the last 30 days without buying them:
 * what to feature, discount or write to them about. The products arrive after the page (the
 * loader streams them); until then the card shows lines where the table goes.
 */
export function ViewedNotBoughtCard({
  products,
  segments,
  segmentId,
  onSegmentChange,
}: {
  products: Promise<readonly ViewedNotBoughtProduct[]>;
  segments: ReadonlyArray<{ id: string; name: string }>;
  segmentId: string;
  onSegmentChange: (segmentId: string) => void;
}) {
  const { t } = useTranslation();
  const formats = useFormats();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd" id="viewed-not-bought-title">
          {t("dashboard.viewedNotBoughtTitle")}
        </Text>
        <Text as="p" tone="subdued">
          {t("dashboard.viewedNotBoughtDescription")}
        </Text>
        <Select
          label={t("dashboard.viewedNotBoughtSegment")}
          options={[
            { label: t("dashboard.allCustomers"), value: ALL_CUSTOMERS },
            ...segments.map((segment) => ({ label: segment.name, value: segment.id })),
          ]}
          value={segmentId}
          onChange={onSegmentChange}
        />
        <Suspense fallback={<SkeletonBodyText lines={4} />}>
          <Await resolve={products}>
            {(loaded) =>
              loaded.length === 0 ? (
                <Text as="p" tone="subdued" id="viewed-not-bought-empty">
                  {t("dashboard.viewedNotBoughtEmpty")}
                </Text>
              ) : (
                <section aria-labelledby="viewed-not-bought-title">
                  <DataTable
                    columnContentTypes={["text", "numeric", "numeric"]}
                    headings={[
                      t("dashboard.product"),
                      t("dashboard.views"),
                      t("dashboard.viewers"),
                    ]}
                    rows={loaded.map((product) => [
                      product.title ?? t("customer.productGone"),
                      formats.number(product.views),
                      formats.number(product.viewers),
                    ])}
                  />
                </section>
              )
            }
          </Await>
        </Suspense>
      </BlockStack>
    </Card>
  );
}
