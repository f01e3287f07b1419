/**
 * A local stand-in for the App Bridge script (`https://cdn.shopify.com/shopifycloud/app-bridge.js`)
 * that `AppProvider` loads. It does what an embedded app relies on App Bridge for: the
 * `shopify` global with `idToken()`, session tokens on the app's own fetches (Authorization:
 * Bearer), leaving the app when an answer asks to (billing confirmation), the bounce page's
 * reload with a fresh `id_token`, the `<ui-nav-menu>` links shown in the admin's side nav, and
 * inert other `ui-*` elements. Tokens
 * come from the simulated admin, which signs them with the app's secret as Shopify does.
 */
export const APP_BRIDGE_CDN_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

export const APP_BRIDGE_STAND_IN = String.raw`(function () {
  var script = document.currentScript;
  var apiKey = script && script.getAttribute("data-api-key");
  var storeOrigin = script ? new URL(script.src).origin : location.origin;
  var params = new URLSearchParams(location.search);
  // Storage is partitioned or refused in a cross-site iframe; the shop is only remembered
  // when it is allowed.
  var remembered = null;
  try { remembered = sessionStorage.getItem("devstore-shop"); } catch (error) { remembered = null; }
  var shop = params.get("shop") || remembered || "";
  try { if (shop) sessionStorage.setItem("devstore-shop", shop); } catch (error) { /* not allowed here */ }

  function idToken() {
    return fetch(storeOrigin + "/admin/session-token?shop=" + encodeURIComponent(shop))
      .then(function (response) { return response.json(); })
      .then(function (body) { return body.token; });
  }

  var nativeFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url, location.href);
    if (url.origin !== location.origin) return nativeFetch(input, init);
    return idToken().then(function (token) {
      var options = Object.assign({}, init || {});
      var headers = new Headers(options.headers || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      options.headers = headers;
      return nativeFetch(input, options).then(function (response) {
        // A server answer asking to leave the app (billing confirmation, re-authorization):
        // App Bridge opens that URL in the top window.
        var leaveTo = response.status === 401 && response.headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url");
        if (leaveTo) window.open(leaveTo, "_top");
        return response;
      });
    });
  };

  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload, location.origin);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  // Shopify admin draws the app's navigation in its own sidebar: the links inside
  // <ui-nav-menu> go to the admin frame, now and whenever the app changes them.
  function reportNavigation(menu) {
    var items = Array.prototype.map.call(menu.querySelectorAll("a[href]"), function (link) {
      return {
        label: (link.textContent || "").trim(),
        path: new URL(link.getAttribute("href"), location.href).pathname,
        home: link.getAttribute("rel") === "home",
      };
    });
    if (window.parent !== window) {
      window.parent.postMessage({ type: "devstore:navigation", items: items }, storeOrigin);
    }
  }
  if (!customElements.get("ui-nav-menu")) {
    customElements.define("ui-nav-menu", class extends HTMLElement {
      connectedCallback() {
        var menu = this;
        menu.style.display = "none";
        // Connected before its links are parsed or rendered: report once they are there.
        new MutationObserver(function () { reportNavigation(menu); })
          .observe(menu, { childList: true, subtree: true, characterData: true, attributes: true });
        reportNavigation(menu);
      }
    });
  }
  // The title bar, modals and save bar Shopify admin draws above the frame; here they stay
  // invisible. Modals and the save bar keep App Bridge's instance methods (show, hide, toggle,
  // the showing flag), which App Bridge React calls as their open prop changes.
  ["ui-title-bar", "ui-modal", "ui-save-bar", "s-app-nav"].forEach(function (name) {
    if (!customElements.get(name)) {
      customElements.define(name, class extends HTMLElement {
        connectedCallback() { this.style.display = "none"; }
        show() { this.showing = true; return Promise.resolve(); }
        hide() { this.showing = false; return Promise.resolve(); }
        toggle() { this.showing = !this.showing; return Promise.resolve(); }
      });
    }
  });

  var toasts = [];
  window.shopify = {
    config: { apiKey: apiKey, shop: shop, host: params.get("host"), locale: "en" },
    environment: { embedded: true, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: function (message) { toasts.push(message); return String(toasts.length); }, hide: function () {} },
    loading: function () {},
    ready: Promise.resolve(),
    saveBar: { show: function () { return Promise.resolve(); }, hide: function () { return Promise.resolve(); }, toggle: function () {} },
    modal: { show: function () { return Promise.resolve(); }, hide: function () { return Promise.resolve(); }, toggle: function () {} },
    __toasts: toasts,
  };
})();
`;
