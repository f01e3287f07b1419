import { pageTitle } from "~/i18n/meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { invalidForm } from "~/routes/http/answers.server";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { CollectionListField } from "~/components/recommendations/CollectionListField";
import {
  ProductListField,
  type PickedProduct,
} from "~/components/recommendations/ProductListField";
import { getDatabase } from "~/db.server";
import { requireInstalledShop } from "~/services/install.server";
import { saveSettingsResolvingCollections } from "~/services/recommendations/collection-exclusions.server";
import { productSummaries } from "~/services/recommendations/product-lookup.server";
import { PLACEMENTS } from "~/services/recommendations/model/placements";
import { PLACEMENT_TITLES } from "~/services/recommendations/training-words";
import {
  editablePart,
  EXPERIMENT_SHARES,
  MAX_ATTRIBUTION_DAYS,
  MAX_BLOCKED,
  MAX_EXCLUDED_COLLECTIONS,
  MAX_PER_BLOCK,
  MAX_PINNED,
  parseRecommendationSettingsForm,
  type SettingsFormErrors,
} from "~/services/recommendations/settings";
import { loadRecommendationSettings } from "~/services/recommendations/settings-store.server";
import { adminContextTransport } from "~/services/shopify/admin-context-transport.server";
import { authenticateAdmin } from "~/routes/http/authenticate-admin.server";

export const meta = pageTitle("nav.recommendationRules");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const { sql } = getDatabase();
  const { settings, collectionsResolvedAt } = await loadRecommendationSettings(sql, shop.id);
  // Products deleted since they were chosen are not listed, so the next save drops them.
  const [pinned, blocked] = await Promise.all([
    productSummaries(sql, shop.id, settings.pinnedProductIds),
    productSummaries(sql, shop.id, settings.blockedProductIds),
  ]);
  return {
    // The resolved ids can run to thousands; the page only shows how many.
    settings: editablePart(settings),
    collectionProducts: settings.excludedCollectionProductIds.length,
    collectionsResolvedAt: collectionsResolvedAt?.toISOString() ?? null,
    pinned,
    blocked,
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin, session } = await authenticateAdmin(request);
  const shop = await requireInstalledShop(session);
  const parsed = parseRecommendationSettingsForm(Object.fromEntries(await request.formData()));
  if (!parsed.ok) {
    return invalidForm({ ok: false as const, errors: parsed.errors, collectionsResolved: true });
  }
  const saved = await saveSettingsResolvingCollections(
    getDatabase().sql,
    shop.id,
    parsed.settings,
    {
      transport: adminContextTransport(admin),
    },
  );
  if (!saved.ok) {
    const message = `These collections hold more than ${saved.tooManyProducts.toLocaleString("en")} products. Exclude them by tag or product type instead.`;
    const errors: SettingsFormErrors = { excludedCollections: message };
    return invalidForm({ ok: false as const, errors, collectionsResolved: true });
  }
  return {
    ok: true as const,
    errors: {} as SettingsFormErrors,
    collectionsResolved: saved.collections === "resolved",
  };
};

/** A fixed format, so the server's and the browser's rendering agree. */
const utcTime = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function collectionStatus(products: number, resolvedAt: string | null): string | undefined {
  if (resolvedAt === null) return undefined;
  const count = `${products.toLocaleString("en")} product${products === 1 ? "" : "s"}`;
  return `Currently excludes ${count} (looked up ${utcTime(resolvedAt)}; checked again daily).`;
}

const list = (values: readonly string[]) => values.join(", ");

export default function RecommendationSettingsPage() {
  const {
    settings,
    collectionProducts,
    collectionsResolvedAt,
    pinned: savedPinned,
    blocked: savedBlocked,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const errors: SettingsFormErrors = result?.errors ?? {};
  const [excludeOutOfStock, setExcludeOutOfStock] = useState(settings.excludeOutOfStock);
  const [tags, setTags] = useState(list(settings.excludedProductTags));
  const [types, setTypes] = useState(list(settings.excludedProductTypes));
  const [vendors, setVendors] = useState(list(settings.excludedVendors));
  const [maxPerBlock, setMaxPerBlock] = useState(String(settings.maxPerBlock));
  const [attributionDays, setAttributionDays] = useState(String(settings.attributionDays));
  const [shares, setShares] = useState(settings.experimentShares);
  const [pinned, setPinned] = useState<PickedProduct[]>(savedPinned);
  const [blocked, setBlocked] = useState<PickedProduct[]>(savedBlocked);
  const [collections, setCollections] = useState(settings.excludedCollections);
  const blockedIds = new Set(blocked.map((product) => product.id));

  return (
    <Page
      title="Recommendation rules"
      backAction={{ content: "Recommendations", url: "/app/recommendations" }}
    >
      <Form method="post">
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {result?.ok && (
                <Banner tone="success" title="Saved">
                  <p>Storefront recommendations follow these rules from now on.</p>
                </Banner>
              )}
              {result?.ok && !result.collectionsResolved && (
                <Banner tone="warning" title="Collections not looked up">
                  <p>
                    Shopify could not be asked which products the excluded collections hold. The
                    products looked up before stay excluded; the app tries again daily.
                  </p>
                </Banner>
              )}
              {result && !result.ok && (
                <Banner tone="critical" title="Not saved">
                  <p>Correct the fields marked below.</p>
                </Banner>
              )}
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Never recommend
                  </Text>
                  <Text as="p" tone="subdued">
                    Draft and archived products and gift cards are never recommended.
                  </Text>
                  <Checkbox
                    label="Out-of-stock products"
                    name="excludeOutOfStock"
                    // Polaris renders value="" by default, which a ticked box would submit as "".
                    value="true"
                    checked={excludeOutOfStock}
                    onChange={setExcludeOutOfStock}
                    helpText="Pinned products are only shown while in stock either way."
                  />
                  <TextField
                    label="Products tagged"
                    name="excludedProductTags"
                    value={tags}
                    onChange={setTags}
                    helpText="Tags separated by commas, any case."
                    error={errors.excludedProductTags}
                    autoComplete="off"
                  />
                  <TextField
                    label="Product types"
                    name="excludedProductTypes"
                    value={types}
                    onChange={setTypes}
                    helpText="Separated by commas."
                    error={errors.excludedProductTypes}
                    autoComplete="off"
                  />
                  <TextField
                    label="Vendors"
                    name="excludedVendors"
                    value={vendors}
                    onChange={setVendors}
                    helpText="Separated by commas."
                    error={errors.excludedVendors}
                    autoComplete="off"
                  />
                  <CollectionListField
                    label="Excluded collections"
                    name="excludedCollections"
                    helpText="Products in these collections are never recommended, even when pinned."
                    collections={collections}
                    onChange={setCollections}
                    max={MAX_EXCLUDED_COLLECTIONS}
                    error={errors.excludedCollections}
                    status={collectionStatus(collectionProducts, collectionsResolvedAt)}
                  />
                  <ProductListField
                    label="Blocked products"
                    name="blockedProductIds"
                    helpText="Never recommended, even when pinned."
                    products={blocked}
                    onChange={setBlocked}
                    max={MAX_BLOCKED}
                    error={errors.blockedProductIds}
                  />
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <Text as="h2" variant="headingMd">
                    Pinned products
                  </Text>
                  <ProductListField
                    label="Show first"
                    name="pinnedProductIds"
                    helpText="Shown first in every block, in this order, while in stock (never on their own product page)."
                    products={pinned}
                    onChange={setPinned}
                    ordered
                    max={MAX_PINNED}
                    error={errors.pinnedProductIds}
                    note={(product) =>
                      blockedIds.has(product.id)
                        ? "Blocked"
                        : product.status !== "active"
                          ? "Not active"
                          : !product.inStock
                            ? "Out of stock"
                            : null
                    }
                  />
                </FormLayout>
              </Card>
              <Card>
                <FormLayout>
                  <TextField
                    label="Products per block, at most"
                    name="maxPerBlock"
                    type="number"
                    value={maxPerBlock}
                    onChange={setMaxPerBlock}
                    helpText={`1 to ${MAX_PER_BLOCK}. A block set to show more in the theme editor shows this many.`}
                    error={errors.maxPerBlock}
                    autoComplete="off"
                  />
                  <TextField
                    label="Count an order for a recommendation within"
                    name="attributionDays"
                    type="number"
                    suffix="days"
                    value={attributionDays}
                    onChange={setAttributionDays}
                    helpText={`After a shopper clicks or adds a recommended product to the cart, their order of it within this many days counts for the recommendation (1 to ${MAX_ATTRIBUTION_DAYS}).`}
                    error={errors.attributionDays}
                    autoComplete="off"
                  />
                </FormLayout>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Test against bestsellers
                  </Text>
                  <Text as="p" tone="subdued">
                    Show a share of shoppers your bestsellers instead of Rekindle&apos;s picks, to
                    see the difference on the Recommendations page. Each shopper always sees the
                    same version.
                  </Text>
                  <FormLayout>
                    <FormLayout.Group>
                      {PLACEMENTS.map((placement) => (
                        <Select
                          key={placement}
                          label={PLACEMENT_TITLES[placement]}
                          name={`experiment_${placement}`}
                          options={EXPERIMENT_SHARES.map((share) => ({
                            label: share === 0 ? "No test" : `${share}% see bestsellers`,
                            value: String(share),
                          }))}
                          value={String(shares[placement])}
                          onChange={(value) => setShares({ ...shares, [placement]: Number(value) })}
                          error={errors.experimentShares}
                        />
                      ))}
                    </FormLayout.Group>
                  </FormLayout>
                </BlockStack>
              </Card>
              <InlineStack align="end">
                <Button submit variant="primary" loading={busy}>
                  Save
                </Button>
              </InlineStack>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
