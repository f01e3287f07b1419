import { TextField } from "@shopify/polaris";
import type { ComponentProps } from "react";
import { useTranslation } from "react-i18next";
import { latinDigits, localDigits } from "~/i18n/digits";

type NumberFieldProps = Omit<ComponentProps<typeof TextField>, "type" | "value" | "onChange"> & {
  value: string;
  onChange?: (value: string) => void;
};

/**
 * A number box in the page's own digits (۹۰ on a Persian page): the merchant may type Latin,
 * Persian or Arabic-Indic digits, and the form keeps Latin ones. A text box with a numeric
 * keyboard, since a number input can neither show nor accept other digits.
 */
export function NumberField({ value, onChange, name, ...props }: NumberFieldProps) {
  const { i18n } = useTranslation();
  return (
    <>
      <TextField
        {...props}
        type="text"
        inputMode="decimal"
        value={localDigits(value, i18n.language)}
        onChange={onChange && ((typed) => onChange(latinDigits(typed)))}
      />
      {/* A form posted as it stands sends the Latin digits the server reads. */}
      {name && <input type="hidden" name={name} value={value} />}
    </>
  );
}
