import { NumberField } from "~/components/admin/NumberField";
import { pageTitle } from "~/i18n/meta";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useFormats, type Formats } from "~/i18n/format";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { invalidForm } from "~/routes/http/answers.server";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Card,
  Checkbox,
  FormLayout,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useRef, useState } from "react";
import { PageHelp } from "~/components/admin/PageHelp";
import { PageTitleBar } from "~/components/admin/PageTitleBar";
import { UnsavedChangesBar } from "~/components/admin/UnsavedChangesBar";
import { useResultToast } from "~/components/admin/use-result-toast";
import { message, type Message } from "~/i18n/message";
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
import {
  editablePart,
  EXPERIMENT_SHARES,
  MAX_ATTRIBUTION_DAYS,
  MAX_BLOCKED,
  MAX_EXCLUDED_COLLECTIONS,
  MAX_PER_BLOCK,
  MAX_PINNED,
  type SettingsField,
  type SettingsFormErrors,
} from "~/services/recommendations/settings";
import { parseRecommendationSettingsForm } from "~/services/recommendations/settings-schema.server";
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
    return invalidForm({
      ok: false as const,
      errors: {} as SettingsFormErrors,
      collectionsResolved: true,
      tooManyProducts: saved.tooManyProducts,
    });
  }
  return {
    ok: true as const,
    errors: {} as SettingsFormErrors,
    collectionsResolved: saved.collections === "resolved",
  };
};

/** A fixed format, so the server's and the browser's rendering agree. */
const utcTime = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

function collectionStatus(
  t: TFunction,
  formats: Formats,
  products: number,
  resolvedAt: string | null,
): string | undefined {
  if (resolvedAt === null) return undefined;
  return t("recommendationRules.collectionStatus", {
    count: products,
    formattedCount: formats.number(products),
    when: utcTime(resolvedAt),
  });
}

const list = (values: readonly string[]) => values.join(", ");

function RulesForm({ onDiscard }: { onDiscard: () => void }) {
  const {
    settings,
    collectionProducts,
    collectionsResolvedAt,
    pinned: savedPinned,
    blocked: savedBlocked,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saving = useNavigation().state === "submitting";
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const { t } = useTranslation();
  const formats = useFormats();
  useResultToast(result, message("recommendationRules.savedText"));
  const tooMany =
    result && "tooManyProducts" in result ? Number(result.tooManyProducts) : undefined;
  const errors: Partial<Record<SettingsField, string>> = {};
  for (const [field, text] of Object.entries(result?.errors ?? {}) as Array<
    [SettingsField, Message]
  >) {
    errors[field] = t(text.key, text.values);
  }
  if (tooMany !== undefined) {
    errors.excludedCollections = t("recommendationRules.tooManyProducts", {
      count: tooMany,
      formattedCount: formats.number(tooMany),
    });
  }
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
  const ids = (products: PickedProduct[]) => products.map((product) => product.id);
  const dirty =
    JSON.stringify([
      excludeOutOfStock,
      tags,
      types,
      vendors,
      maxPerBlock,
      attributionDays,
      shares,
      ids(pinned),
      ids(blocked),
      collections,
    ]) !==
    JSON.stringify([
      settings.excludeOutOfStock,
      list(settings.excludedProductTags),
      list(settings.excludedProductTypes),
      list(settings.excludedVendors),
      String(settings.maxPerBlock),
      String(settings.attributionDays),
      settings.experimentShares,
      ids(savedPinned),
      ids(savedBlocked),
      settings.excludedCollections,
    ]);

  return (
    <Form method="post" ref={form}>
      <UnsavedChangesBar
        id="recommendation-rules-save-bar"
        dirty={dirty}
        saving={saving}
        onSave={() => submit(form.current, { method: "post" })}
        onDiscard={onDiscard}
      />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {result?.ok && !result.collectionsResolved && (
              <Banner tone="warning" title={t("recommendationRules.collectionsNotLookedUp")}>
                <p>{t("recommendationRules.collectionsNotLookedUpText")}</p>
              </Banner>
            )}
            {result && !result.ok && (
              <Banner tone="critical" title={t("recommendationRules.notSaved")}>
                <p>{t("recommendationRules.correctFields")}</p>
              </Banner>
            )}
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t("recommendationRules.neverRecommend")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("recommendationRules.neverDraft")}
                </Text>
                <Checkbox
                  label={t("recommendationRules.outOfStock")}
                  name="excludeOutOfStock"
                  // Polaris renders value="" by default, which a ticked box would submit as "".
                  value="true"
                  checked={excludeOutOfStock}
                  onChange={setExcludeOutOfStock}
                  helpText={t("recommendationRules.outOfStockHelp")}
                />
                <TextField
                  label={t("recommendationRules.tagged")}
                  name="excludedProductTags"
                  value={tags}
                  onChange={setTags}
                  helpText={t("recommendationRules.taggedHelp")}
                  error={errors.excludedProductTags}
                  autoComplete="off"
                />
                <TextField
                  label={t("recommendationRules.types")}
                  name="excludedProductTypes"
                  value={types}
                  onChange={setTypes}
                  helpText={t("recommendationRules.commaSeparated")}
                  error={errors.excludedProductTypes}
                  autoComplete="off"
                />
                <TextField
                  label={t("recommendationRules.vendors")}
                  name="excludedVendors"
                  value={vendors}
                  onChange={setVendors}
                  helpText={t("recommendationRules.commaSeparated")}
                  error={errors.excludedVendors}
                  autoComplete="off"
                />
                <CollectionListField
                  label={t("recommendationRules.excludedCollections")}
                  name="excludedCollections"
                  helpText={t("recommendationRules.excludedCollectionsHelp")}
                  collections={collections}
                  onChange={setCollections}
                  max={MAX_EXCLUDED_COLLECTIONS}
                  error={errors.excludedCollections}
                  status={collectionStatus(t, formats, collectionProducts, collectionsResolvedAt)}
                />
                <ProductListField
                  label={t("recommendationRules.blocked")}
                  name="blockedProductIds"
                  helpText={t("recommendationRules.blockedHelp")}
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
                  {t("recommendationRules.pinned")}
                </Text>
                <ProductListField
                  label={t("recommendationRules.showFirst")}
                  name="pinnedProductIds"
                  helpText={t("recommendationRules.showFirstHelp")}
                  products={pinned}
                  onChange={setPinned}
                  ordered
                  max={MAX_PINNED}
                  error={errors.pinnedProductIds}
                  note={(product) =>
                    blockedIds.has(product.id)
                      ? t("recommendationRules.noteBlocked")
                      : product.status !== "active"
                        ? t("recommendationRules.noteNotActive")
                        : !product.inStock
                          ? t("recommendationRules.noteOutOfStock")
                          : null
                  }
                />
              </FormLayout>
            </Card>
            <Card>
              <FormLayout>
                <NumberField
                  label={t("recommendationRules.maxPerBlock")}
                  name="maxPerBlock"
                  value={maxPerBlock}
                  onChange={setMaxPerBlock}
                  helpText={t("recommendationRules.maxPerBlockHelp", { max: MAX_PER_BLOCK })}
                  error={errors.maxPerBlock}
                  autoComplete="off"
                />
                <NumberField
                  label={t("recommendationRules.attribution")}
                  name="attributionDays"
                  suffix={t("recommendationRules.days")}
                  value={attributionDays}
                  onChange={setAttributionDays}
                  helpText={t("recommendationRules.attributionHelp", {
                    max: MAX_ATTRIBUTION_DAYS,
                  })}
                  error={errors.attributionDays}
                  autoComplete="off"
                />
              </FormLayout>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("recommendationRules.testTitle")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("recommendationRules.testText")}
                </Text>
                <FormLayout>
                  <FormLayout.Group>
                    {PLACEMENTS.map((placement) => (
                      <Select
                        key={placement}
                        label={t(`recommendationRules.placements.${placement}`)}
                        name={`experiment_${placement}`}
                        options={EXPERIMENT_SHARES.map((share) => ({
                          label:
                            share === 0
                              ? t("recommendationRules.noTest")
                              : t("recommendationRules.shareSeesBestsellers", {
                                  share: formats.percent(share / 100),
                                }),
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
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Form>
  );
}

export default function RecommendationSettingsPage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // Saved settings or a discard remount the form with what is stored.
  const [discards, setDiscards] = useState(0);
  return (
    <Page>
      <PageTitleBar
        title={t("nav.recommendationRules")}
        back={{ content: t("nav.recommendations"), url: "/app/recommendations" }}
      />
      <RulesForm
        key={`${JSON.stringify(data)}:${discards}`}
        onDiscard={() => setDiscards((count) => count + 1)}
      />
      <PageHelp page="recommendationSettings" title={t("nav.recommendationRules")} />
    </Page>
  );
}
