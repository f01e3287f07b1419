/**
 * A local stand-in for the App Bridge script (`https://cdn.shopify.com/shopifycloud/app-bridge.js`)
 * that `AppProvider` loads. It does what an embedded app relies on App Bridge for: the
 * `shopify` global with `idToken()`, session tokens on the app's own fetches (Authorization:
 * Bearer), leaving the app when an answer asks to (billing confirmation), the bounce page's
 * reload with a fresh `id_token`, the `<ui-nav-menu>` links shown in the admin's side nav, and a
 * plain in-frame title bar, save bar and modals. Tokens
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
  // Shopify admin draws the title bar, modals and save bar above the frame. Here they are drawn
  // plainly inside it, their buttons being the app's own (clicking one runs its handler): the
  // title bar as a header row, the save bar while shown, a modal as an overlay while shown.
  var look = document.createElement("style");
  look.textContent =
    "ui-title-bar{display:flex;gap:8px;align-items:center;padding:8px 16px;font:14px sans-serif;border-bottom:1px solid #ddd}" +
    "ui-title-bar::before{content:attr(title);font-weight:600;order:1;margin-inline-end:auto}" +
    "ui-title-bar>*{order:2}ui-title-bar>a[variant=breadcrumb]{order:0}" +
    "ui-save-bar{display:none;gap:8px;padding:8px 16px;background:#303030;color:#fff}" +
    "ui-save-bar[data-shown]{display:flex}ui-save-bar::before{content:'Unsaved changes';margin-inline-end:auto}" +
    "ui-modal{display:none}ui-modal[data-shown]{display:block;position:fixed;inset:10% 20%;z-index:1000;background:#fff;border:1px solid #999;overflow:auto}" +
    "s-app-nav{display:none}";
  document.head.appendChild(look);
  function shownElement(name, withContent) {
    return class extends HTMLElement {
      connectedCallback() {
        // A modal is a dialog named by its title bar, as Shopify admin draws it.
        if (withContent) this.setAttribute("role", "dialog");
      }
      show() {
        var bar = this.querySelector("ui-title-bar");
        if (withContent && bar) this.setAttribute("aria-label", bar.getAttribute("title") || "");
        this.setAttribute("data-shown", "");
        this.dispatchEvent(new Event("show"));
        return Promise.resolve();
      }
      hide() {
        var wasShown = this.hasAttribute("data-shown");
        this.removeAttribute("data-shown");
        if (wasShown) this.dispatchEvent(new Event("hide"));
        return Promise.resolve();
      }
      toggle() { return this.hasAttribute("data-shown") ? this.hide() : this.show(); }
      get showing() { return this.hasAttribute("data-shown"); }
      get content() {
        if (!withContent) return undefined;
        if (!this._content) {
          this._content = document.createElement("div");
          this.appendChild(this._content);
        }
        return this._content;
      }
    };
  }
  var elements = { "ui-title-bar": shownElement("ui-title-bar", false), "ui-save-bar": shownElement("ui-save-bar", false), "ui-modal": shownElement("ui-modal", true) };
  Object.keys(elements).forEach(function (name) {
    if (!customElements.get(name)) customElements.define(name, elements[name]);
  });
  if (!customElements.get("s-app-nav")) customElements.define("s-app-nav", class extends HTMLElement {});
  // A link in the title bar is followed by the app's router, as App Bridge does: it cancels the
  // page load and sends "shopify:navigate" from the link, which the Remix AppProvider turns into
  // navigate(href); a plain load would leave the embedded session behind.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("ui-title-bar a[href]") : null;
    if (!link) return;
    event.preventDefault();
    link.dispatchEvent(new Event("shopify:navigate", { bubbles: true }));
  });
  function byId(id) { return document.getElementById(id); }

  var toasts = [];
  window.shopify = {
    config: { apiKey: apiKey, shop: shop, host: params.get("host"), locale: "en" },
    environment: { embedded: true, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: function (message) { toasts.push(message); return String(toasts.length); }, hide: function () {} },
    loading: function () {},
    ready: Promise.resolve(),
    saveBar: {
      show: function (id) { return byId(id) ? byId(id).show() : Promise.resolve(); },
      hide: function (id) { return byId(id) ? byId(id).hide() : Promise.resolve(); },
      toggle: function (id) { return byId(id) ? byId(id).toggle() : Promise.resolve(); },
      // Leaving with a save bar shown asks first, as Shopify admin does.
      leaveConfirmation: function () {
        var shown = document.querySelector("ui-save-bar[data-shown]");
        if (!shown || window.confirm("Leave page with unsaved changes?")) return Promise.resolve();
        return new Promise(function () {});
      },
    },
    modal: {
      show: function (id) { return byId(id) ? byId(id).show() : Promise.resolve(); },
      hide: function (id) { return byId(id) ? byId(id).hide() : Promise.resolve(); },
      toggle: function (id) { return byId(id) ? byId(id).toggle() : Promise.resolve(); },
    },
    __toasts: toasts,
  };
})();
`;
