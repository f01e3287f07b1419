import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { useSearchFetcher } from "~/components/use-search-fetcher";
import { BlockStack, InlineError, InlineStack, Tag, Text } from "@shopify/polaris";
import { useMemo, useState } from "react";
import type { CollectionSearchAnswer } from "~/services/recommendations/collection-exclusions.server";
import type { ExcludedCollection } from "~/services/recommendations/settings";
import { SearchPicker } from "./SearchPicker";

interface CollectionListFieldProps {
  label: string;
  /** The form field: the chosen collections as JSON `[{ id, title }]`. */
  name: string;
  helpText: string;
  collections: ExcludedCollection[];
  onChange: (collections: ExcludedCollection[]) => void;
  max: number;
  error?: string;
  /** What the saved exclusion currently covers, shown under the chosen collections. */
  status?: string;
}

/**
 * A collection list field: search the shop's collections by title (Shopify answers through
 * /app/collection-search, as the app keeps no collections), add, remove.
 */
export function CollectionListField(props: CollectionListFieldProps) {
  const { label, name, helpText, collections, onChange, max, error, status } = props;
  const [query, setQuery] = useState("");
  const { t } = useTranslation();
  const formats = useFormats();
  const search = useSearchFetcher<CollectionSearchAnswer>("/app/collection-search", query);

  const chosen = new Set(collections.map((collection) => collection.id));
  const found = useMemo(
    () => (query.trim() === "" ? [] : (search.data?.collections ?? [])),
    [query, search.data],
  );
  const options = found
    .filter((collection) => !chosen.has(collection.id))
    .map((collection) => ({
      value: collection.id,
      label:
        collection.productsCount === null
          ? collection.title
          : t("pickers.collectionWithCount", {
              title: collection.title,
              count: collection.productsCount,
              formattedCount: formats.number(collection.productsCount),
            }),
    }));
  const full = collections.length >= max;

  const add = (id: string) => {
    const collection = found.find((candidate) => candidate.id === id);
    if (collection && !chosen.has(collection.id) && !full) {
      onChange([...collections, { id: collection.id, title: collection.title }]);
    }
    setQuery("");
  };

  const emptyText = search.data?.failed
    ? t("pickers.searchFailed")
    : t("pickers.noCollections", { query: query.trim() });

  return (
    <BlockStack gap="200">
      <input type="hidden" name={name} value={JSON.stringify(collections)} />
      <SearchPicker
        label={label}
        placeholder={t("pickers.searchCollections")}
        helpText={helpText}
        query={query}
        onQueryChange={setQuery}
        options={options}
        onPick={add}
        loading={search.state !== "idle"}
        emptyText={emptyText}
        fullText={full ? t("pickers.atMostCollections", { count: max }) : null}
      />
      {error && <InlineError message={error} fieldID={name} />}
      {collections.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("pickers.none")}
        </Text>
      ) : (
        <InlineStack gap="200">
          {collections.map((collection) => (
            <Tag
              key={collection.id}
              onRemove={() => onChange(collections.filter((c) => c.id !== collection.id))}
              accessibilityLabel={t("pickers.removeItem", { title: collection.title })}
            >
              {collection.title || t("pickers.collectionNumber", { id: collection.id })}
            </Tag>
          ))}
        </InlineStack>
      )}
      {status && (
        <Text as="p" tone="subdued">
          {status}
        </Text>
      )}
    </BlockStack>
  );
}
