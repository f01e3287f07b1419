import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";

/**
 * Runs `work` once the browser has painted the page: after the next frame, or at once in a tab
 * that is not shown (it draws no frames).
 */
function afterNextPaint(work: () => void) {
  let started = false;
  const startOnce = () => {
    if (started) return;
    started = true;
    work();
  };
  requestAnimationFrame(() => setTimeout(startOnce, 0));
  if (document.visibilityState === "hidden") startOnce();
}

// Remix's own client entry, hydrating once the server's markup is on screen: with the scripts
// in the browser's cache they would otherwise run first, and the merchant would see nothing
// until React had walked the whole page.
afterNextPaint(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  }),
);
