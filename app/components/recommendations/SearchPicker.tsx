import { Autocomplete, Text } from "@shopify/polaris";

interface SearchPickerProps {
  label: string;
  placeholder: string;
  helpText: string;
  query: string;
  onQueryChange: (query: string) => void;
  options: { value: string; label: string }[];
  /** Called with the picked option's value; the field clears its query afterwards. */
  onPick: (value: string) => void;
  loading: boolean;
  /** Shown when a finished search found nothing to add. */
  emptyText: string;
  /** The list is full: the box is disabled and says so instead of the help text. */
  fullText: string | null;
}

/** The search box of the rules page's list fields: suggestions while typing, one pick at a time. */
export function SearchPicker(props: SearchPickerProps) {
  const { label, placeholder, helpText, query, onQueryChange, options, onPick } = props;
  return (
    <Autocomplete
      options={options}
      selected={[]}
      onSelect={(selected) => onPick(selected[0] ?? "")}
      loading={props.loading}
      emptyState={
        query.trim() !== "" && !props.loading ? (
          <Text as="p" tone="subdued">
            {props.emptyText}
          </Text>
        ) : undefined
      }
      textField={
        <Autocomplete.TextField
          label={label}
          value={query}
          onChange={onQueryChange}
          placeholder={placeholder}
          helpText={props.fullText ?? helpText}
          autoComplete="off"
          disabled={props.fullText !== null}
        />
      }
    />
  );
}
