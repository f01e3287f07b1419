import type { PlacedField, RuleFormValues } from "~/services/winback/rule-form";

/** Form fields that hold text (every field but the lists and switches). */
export type TextFieldName = {
  [K in keyof RuleFormValues]: RuleFormValues[K] extends string ? K : never;
}[keyof RuleFormValues];

export interface RuleFormSectionProps {
  values: RuleFormValues;
  onChange: (patch: Partial<RuleFormValues>) => void;
  errors: Partial<Record<PlacedField, string>>;
}

/** value / onChange / error for one text field, so each TextField names its field once. */
export function textField({ values, onChange, errors }: RuleFormSectionProps) {
  return (name: TextFieldName) => ({
    value: values[name],
    onChange: (value: string) => onChange({ [name]: value }),
    error: errors[name],
    autoComplete: "off",
  });
}
