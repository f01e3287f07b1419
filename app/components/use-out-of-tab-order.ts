import { useEffect, type RefObject } from "react";

/** What Tab stops at: links, form controls and anything with a tabindex of 0 or more. */
const TABBABLE =
  "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1']), [contenteditable='true']";

/**
 * Keeps everything inside `ref` out of the Tab order, now and whenever it re-renders, while the
 * mouse still reaches it. For content hidden from assistive technology (`aria-hidden`) that a
 * library makes focusable: a keyboard stop that a screen reader cannot name is a trap.
 */
export function useOutOfTabOrder(ref: RefObject<HTMLElement>) {
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const untab = () => {
      for (const element of root.querySelectorAll(TABBABLE)) {
        if (element.getAttribute("tabindex") !== "-1") element.setAttribute("tabindex", "-1");
      }
    };
    untab();
    const observer = new MutationObserver(untab);
    observer.observe(root, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["tabindex"],
    });
    return () => observer.disconnect();
  }, [ref]);
}
