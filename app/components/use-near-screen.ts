import { useEffect, useState, type RefObject } from "react";

/** How far below the screen a chart starts loading, so it is drawn as the merchant scrolls to it. */
const AHEAD = "400px";

/**
 * Whether `ref` has come within reach of the screen (it stays true once it has). False during
 * the server's render and the hydration: in the browser only.
 */
export function useNearScreen(ref: RefObject<HTMLElement>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || near) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true);
      },
      { rootMargin: `${AHEAD} 0px` },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, near]);
  return near;
}
