import { useTranslation } from "react-i18next";
import { useFormats } from "~/i18n/format";
import { useSearchFetcher } from "~/components/use-search-fetcher";
import { Badge, BlockStack, Button, InlineError, InlineStack, Text } from "@shopify/polaris";
import { useMemo, useState } from "react";
import type { ProductSearchAnswer } from "~/services/recommendations/product-lookup.server";
import { SearchPicker } from "./SearchPicker";

export interface PickedProduct {
  id: string;
  title: string;
  status: string;
  inStock: boolean;
}

interface ProductListFieldProps {
  label: string;
  /** The form field: the chosen ids, comma-separated, in order. */
  name: string;
  helpText: string;
  products: PickedProduct[];
  onChange: (products: PickedProduct[]) => void;
  /** Pinned products keep an order the merchant can change; blocked ones do not. */
  ordered?: boolean;
  max: number;
  error?: string;
  /** A note per product, e.g. why a pin will not show. */
  note?: (product: PickedProduct) => string | null;
}

/**
 * A product list field: search the shop's products by title, add, reorder, remove. The app's
 * own product table answers the search (/app/product-search), so it works without the Admin
 * API and shows exactly what the storefront can recommend.
 */
export function ProductListField(props: ProductListFieldProps) {
  const { label, name, helpText, products, onChange, ordered, max, error, note } = props;
  const [query, setQuery] = useState("");
  const { t } = useTranslation();
  const formats = useFormats();
  const search = useSearchFetcher<ProductSearchAnswer>("/app/product-search", query);

  const chosen = new Set(products.map((product) => product.id));
  const found = useMemo(
    () => (query.trim() === "" ? [] : (search.data?.products ?? [])),
    [query, search.data],
  );
  const options = found
    .filter((product) => !chosen.has(product.id))
    .map((product) => ({ value: product.id, label: product.title }));
  const full = products.length >= max;

  const add = (id: string) => {
    const product = found.find((candidate) => candidate.id === id);
    if (product && !chosen.has(product.id) && !full) onChange([...products, product]);
    setQuery("");
  };
  const move = (index: number, by: number) => {
    const next = [...products];
    const [item] = next.splice(index, 1);
    if (item) next.splice(index + by, 0, item);
    onChange(next);
  };

  return (
    <BlockStack gap="200">
      <input type="hidden" name={name} value={products.map((product) => product.id).join(",")} />
      <SearchPicker
        label={label}
        placeholder={t("pickers.searchProducts")}
        helpText={helpText}
        query={query}
        onQueryChange={setQuery}
        options={options}
        onPick={add}
        loading={search.state !== "idle"}
        emptyText={t("pickers.noProducts", { query: query.trim() })}
        fullText={full ? t("pickers.atMostProducts", { count: max }) : null}
      />
      {error && <InlineError message={error} fieldID={name} />}
      {products.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("pickers.none")}
        </Text>
      ) : (
        <BlockStack gap="100" as="ol">
          {products.map((product, index) => {
            const remark = note?.(product);
            return (
              <InlineStack key={product.id} gap="200" blockAlign="center" wrap={false} as="li">
                <Text as="span">
                  {ordered ? `${formats.number(index + 1)}. ` : ""}
                  {product.title}
                </Text>
                {remark && <Badge tone="warning">{remark}</Badge>}
                {ordered && (
                  <>
                    <Button
                      size="slim"
                      disabled={index === 0}
                      onClick={() => move(index, -1)}
                      accessibilityLabel={t("pickers.moveUp", { title: product.title })}
                    >
                      ↑
                    </Button>
                    <Button
                      size="slim"
                      disabled={index === products.length - 1}
                      onClick={() => move(index, 1)}
                      accessibilityLabel={t("pickers.moveDown", { title: product.title })}
                    >
                      ↓
                    </Button>
                  </>
                )}
                <Button
                  size="slim"
                  variant="plain"
                  tone="critical"
                  onClick={() => onChange(products.filter((p) => p.id !== product.id))}
                  accessibilityLabel={t("pickers.removeItem", { title: product.title })}
                >
                  {t("common.remove")}
                </Button>
              </InlineStack>
            );
          })}
        </BlockStack>
      )}
    </BlockStack>
  );
}
