import { Autocomplete, ChoiceList, Select, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { NumberField } from "~/components/admin/NumberField";
import { useTranslation } from "react-i18next";
import { useValueLabels, type LabelGroup } from "~/components/analytics/labels";
import { useSearchFetcher } from "~/components/use-search-fetcher";
import type { BuilderField, ConditionRow } from "~/services/segments/builder-rows";
import type { ProductSearchAnswer } from "~/services/recommendations/product-lookup.server";

/** The shop's values the builder offers for free-text fields. */
export interface ValueChoices {
  tags: readonly string[];
  countries: readonly string[];
  currency: string;
  /** Titles of the products the stored rule names, by id. */
  productTitles: Readonly<Record<string, string>>;
  /** The shop's collections, by title. */
  collections: ReadonlyArray<{ id: string; title: string }>;
}

/** A picker's search box: what is typed searches by title; the chosen one is named below it. */
function PickerSearchField(props: {
  query: string;
  onQuery: (query: string) => void;
  placeholder: string;
  chosen: string | null;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Autocomplete.TextField
      label={t("segments.value")}
      labelHidden
      value={props.query}
      onChange={props.onQuery}
      autoComplete="off"
      placeholder={props.placeholder}
      helpText={props.chosen ? t("segments.chosenProduct", { title: props.chosen }) : undefined}
      error={props.error}
    />
  );
}

/** A product from the shop's catalogue, found by title; the row keeps its id. */
function ProductPicker(props: {
  value: string;
  titles: Readonly<Record<string, string>>;
  onChange: (value: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<Record<string, string>>({});
  const search = useSearchFetcher<ProductSearchAnswer>("/app/product-search", query);
  const options =
    query.trim() === ""
      ? []
      : (search.data?.products ?? []).map((product) => ({
          value: product.id,
          label: product.title,
        }));
  const title = props.value
    ? (picked[props.value] ?? props.titles[props.value] ?? t("segments.unknownProduct"))
    : null;
  return (
    <Autocomplete
      options={options}
      selected={props.value ? [props.value] : []}
      loading={search.state === "loading"}
      onSelect={([id]) => {
        if (!id) return;
        const label = options.find((option) => option.value === id)?.label ?? id;
        setPicked({ ...picked, [id]: label });
        setQuery("");
        props.onChange(id);
      }}
      textField={
        <PickerSearchField
          query={query}
          onQuery={setQuery}
          placeholder={t("segments.searchProducts")}
          chosen={title}
          error={props.error}
        />
      }
    />
  );
}

/** One of the shop's collections, found by title; the row keeps its id. */
function CollectionPicker(props: {
  value: string;
  collections: ValueChoices["collections"];
  onChange: (value: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const typed = query.trim().toLowerCase();
  const options = props.collections
    .filter((collection) => collection.title.toLowerCase().includes(typed))
    .slice(0, 20)
    .map((collection) => ({ value: collection.id, label: collection.title }));
  const chosen = props.value
    ? (props.collections.find((collection) => collection.id === props.value)?.title ??
      t("segments.unknownCollection"))
    : null;
  return (
    <Autocomplete
      options={options}
      selected={props.value ? [props.value] : []}
      emptyState={t("segments.noCollections")}
      onSelect={([id]) => {
        if (!id) return;
        setQuery("");
        props.onChange(id);
      }}
      textField={
        <PickerSearchField
          query={query}
          onQuery={setQuery}
          placeholder={t("segments.searchCollections")}
          chosen={chosen}
          error={props.error}
        />
      }
    />
  );
}

const LABEL_GROUPS: Partial<Record<string, LabelGroup>> = {
  lifecycle_stage: "lifecycleStages",
  rfm_segment: "rfmSegments",
  email_marketing: "consent",
  sms_marketing: "consent",
};

/** What a number means, said beside the box (money in the shop's currency). */
const UNITS: Partial<Record<string, "days" | "orders" | "score" | "probability">> = {
  days_since_last_order: "days",
  avg_days_between_orders: "days",
  orders_count: "orders",
  expected_orders_90d: "orders",
  r_score: "score",
  f_score: "score",
  m_score: "score",
  prob_alive: "probability",
};

const splitList = (value: string) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

/** Suggestions from the shop for a free-text field, filtered by what is typed. */
function SuggestingField(props: {
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (value: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const typed = props.value.trim().toLowerCase();
  const shown = props.options
    .filter(
      (option) =>
        !typed ||
        option.value.toLowerCase().includes(typed) ||
        option.label.toLowerCase().includes(typed),
    )
    .slice(0, 20);
  return (
    <Autocomplete
      options={shown}
      selected={[]}
      onSelect={(selected) => props.onChange(selected[0] ?? props.value)}
      textField={
        <Autocomplete.TextField
          label={props.label}
          labelHidden
          value={props.value}
          onChange={props.onChange}
          autoComplete="off"
          placeholder={t("segments.typeOrPick")}
          error={props.error}
        />
      }
    />
  );
}

/** The value box of a condition row: a picker for fixed values, a typed box with its unit else. */
export function ValueInput(props: {
  field: BuilderField;
  row: ConditionRow;
  choices: ValueChoices;
  error?: string;
  onChange: (value: string) => void;
}) {
  const { field, row, choices, error, onChange } = props;
  const { t, i18n } = useTranslation();
  const label = useValueLabels();
  const countryNames = useMemo(() => {
    try {
      return new Intl.DisplayNames([i18n.language], { type: "region" });
    } catch {
      return null;
    }
  }, [i18n.language]);
  const valueLabel = t("segments.value");
  const group = LABEL_GROUPS[field.name];
  const fixed = field.values?.map((value) => ({
    value,
    label: group ? label(group, value) : value,
  }));

  if (fixed && (row.operator === "in" || row.operator === "not_in")) {
    return (
      <ChoiceList
        title={valueLabel}
        titleHidden
        allowMultiple
        choices={fixed}
        selected={splitList(row.value)}
        onChange={(selected) => onChange(selected.join(", "))}
        error={error}
      />
    );
  }
  if (fixed) {
    return (
      <Select
        label={valueLabel}
        labelHidden
        options={fixed}
        value={row.value}
        onChange={onChange}
        error={error}
      />
    );
  }
  if (field.type === "boolean") {
    return (
      <Select
        label={valueLabel}
        labelHidden
        options={[
          { value: "true", label: t("segments.yes") },
          { value: "false", label: t("segments.no") },
        ]}
        value={row.value || "true"}
        onChange={onChange}
        error={error}
      />
    );
  }
  if (field.type === "product") {
    return (
      <ProductPicker
        value={row.value}
        titles={choices.productTitles}
        onChange={onChange}
        error={error}
      />
    );
  }
  if (field.type === "collection") {
    return (
      <CollectionPicker
        value={row.value}
        collections={choices.collections}
        onChange={onChange}
        error={error}
      />
    );
  }
  if (field.name === "tags") {
    return (
      <SuggestingField
        label={valueLabel}
        value={row.value}
        options={choices.tags.map((tag) => ({ value: tag, label: tag }))}
        onChange={onChange}
        error={error}
      />
    );
  }
  if (field.name === "country_code") {
    return (
      <SuggestingField
        label={valueLabel}
        value={row.value}
        options={choices.countries.map((code) => ({
          value: code,
          label: `${countryNames?.of(code) ?? code} (${code})`,
        }))}
        onChange={onChange}
        error={error}
      />
    );
  }
  const unit = UNITS[field.name];
  const Field = field.type === "date" || field.type === "string" ? TextField : NumberField;
  return (
    <Field
      label={valueLabel}
      labelHidden
      autoComplete="off"
      type={field.type === "date" ? "date" : "text"}
      value={row.value}
      onChange={onChange}
      error={error}
      prefix={field.type === "money" ? choices.currency : undefined}
      suffix={
        unit === "days"
          ? t("segments.unitDays")
          : unit === "orders"
            ? t("segments.unitOrders")
            : undefined
      }
      helpText={
        unit === "score"
          ? t("segments.scoreHelp")
          : unit === "probability"
            ? t("segments.probabilityHelp")
            : row.operator === "in" || row.operator === "not_in"
              ? t("segments.listHelp")
              : undefined
      }
    />
  );
}
