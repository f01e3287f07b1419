import { useFetcher } from "@remix-run/react";
import { useEffect } from "react";
import { useDebounced } from "./use-debounced";

const SEARCH_DELAY_MS = 250;

/**
 * A search box's fetcher: asks `path?q=` once the text has stopped changing for a moment, and
 * not at all while it is blank (the field then shows no suggestions).
 */
export function useSearchFetcher<Loader>(path: string, text: string) {
  const search = useFetcher<Loader>();
  const query = useDebounced(text.trim(), SEARCH_DELAY_MS);
  useEffect(() => {
    if (query !== "") search.load(`${path}?q=${encodeURIComponent(query)}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- search again only when the text changes
  }, [path, query]);
  return search;
}
