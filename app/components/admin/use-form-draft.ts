import { useState } from "react";

/**
 * A settings form's values as the merchant edits them, against the saved ones it started from:
 * whether they differ (for the save bar) and a way back to the saved ones. The page remounts the
 * form with the new saved values after a save (a key), which makes it clean again.
 */
export function useFormDraft<T>(saved: T) {
  const [draft, setDraft] = useState(saved);
  return {
    draft,
    setDraft,
    dirty: JSON.stringify(draft) !== JSON.stringify(saved),
    discard: () => setDraft(saved),
  };
}
