import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { loadAdminCatalogue } from "~/i18n/catalogue";
import { DEFAULT_LOCALE, isAdminLocale } from "~/i18n/config";

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

// The page's language as the server rendered it (app/root.tsx): its texts load while the
// browser paints, and React renders with them synchronously, as the server did.
const { lang } = document.documentElement;
const catalogue = loadAdminCatalogue(isAdminLocale(lang) ? lang : DEFAULT_LOCALE);

// Remix's own client entry, hydrating once the server's markup is on screen: with the scripts
// in the browser's cache they would otherwise run first, and the merchant would see nothing
// until React had walked the whole page.
afterNextPaint(
  () =>
    void catalogue.then(() =>
      startTransition(() => {
        hydrateRoot(
          document,
          <StrictMode>
            <RemixBrowser />
          </StrictMode>,
        );
      }),
    ),
);
