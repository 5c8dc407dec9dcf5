// brum serve: live reload. Served at /__brum/live.js and added to every page
// while previewing; never part of a built site.
(() => {
  "use strict";
  const OVERLAY = "brum-error-overlay";
  const show = (message) => {
    let box = document.getElementById(OVERLAY);
    if (!box) {
      box = document.createElement("div");
      box.id = OVERLAY;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#fff;border-top:4px solid #ff6b6b;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    const title = document.createElement("strong");
    title.textContent = "The last change broke the build. This page is the last good version.";
    const pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:.75rem 0 0";
    pre.textContent = message;
    box.append(title, pre);
  };
  const initial = document.getElementById("brum-build-error");
  if (initial) {
    try { show(JSON.parse(initial.textContent)); } catch (e) { show(initial.textContent); }
  }
  const swapStyles = () => {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("brum", Date.now().toString());
      const next = link.cloneNode();
      next.href = url.href;
      next.addEventListener("load", () => link.remove());
      link.after(next);
    }
  };
  const events = new EventSource("/__brum/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", swapStyles);
  events.addEventListener("build-error", (e) => show(JSON.parse(e.data)));
})();
