// The deep-zoom viewer of a document's scans (progressive enhancement: without this file the
// page shows the scans' thumbnails and links). It reads the document's IIIF Manifest, opens
// the image service of each canvas (static level-0 tiles) in OpenSeadragon, one page at a
// time, and adds named buttons and keys: OpenSeadragon's own (arrows pan, + and - zoom, 0 fits
// the page, J and K turn pages) and Page Up / Page Down to turn pages.
(function () {
  "use strict";

  function text(languageMap) {
    if (!languageMap) { return ""; }
    var lang = (document.documentElement.lang || "en").split("-")[0];
    var values = languageMap[lang] || languageMap.none || languageMap[Object.keys(languageMap)[0]];
    return values ? values.join(" ") : "";
  }

  function pagesOf(manifest) {
    return manifest.items.map(function (canvas) {
      var service = canvas.items[0].items[0].body.service[0];
      return { info: service.id + "/info.json", label: text(canvas.label) };
    });
  }

  // OpenSeadragon adds an inline <style> unless it finds one marked as its own; the site's
  // Content-Security-Policy refuses inline styles, so it is given this inert one (not CSS, so
  // no style sheet is made from it and nothing is refused).
  function quietInlineStyle() {
    if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
      var inert = document.createElement("style");
      inert.type = "text/plain";
      inert.setAttribute("data-openseadragon-mobile-css", "true");
      document.head.appendChild(inert);
    }
  }

  function open(container, pages) {
    quietInlineStyle();
    container.hidden = false;
    var several = pages.length > 1;
    var viewer = OpenSeadragon({
      element: container.querySelector(".viewer-canvas"),
      tileSources: pages.map(function (page) { return page.info; }),
      sequenceMode: several,
      showNavigationControl: false,
      showSequenceControl: false,
      visibilityRatio: 0.5,
      maxZoomPixelRatio: 2
    });
    container.viewer = viewer;  // for the browser tests
    var canvas = viewer.canvas;
    canvas.setAttribute("role", "application");
    canvas.setAttribute("aria-describedby", "viewer-keys");
    var status = container.querySelector(".viewer-status");
    var buttons = {};
    container.querySelectorAll("[data-viewer]").forEach(function (button) {
      buttons[button.getAttribute("data-viewer")] = button;
    });
    var current = 0;

    function show(page) {
      current = page;
      var where = several ? "Page " + (page + 1) + " of " + pages.length + ": " : "";
      status.textContent = where + pages[page].label;
      canvas.setAttribute("aria-label", "Scan viewer. " + where + pages[page].label);
      buttons.previous.setAttribute("aria-disabled", String(page === 0));
      buttons.next.setAttribute("aria-disabled", String(page === pages.length - 1));
    }

    function turn(by) {
      var page = current + by;
      if (several && page >= 0 && page < pages.length) { viewer.goToPage(page); }
    }

    function zoom(factor) {
      viewer.viewport.zoomBy(factor);
      viewer.viewport.applyConstraints();
    }

    if (!several) {
      buttons.previous.hidden = true;
      buttons.next.hidden = true;
    }
    buttons.previous.addEventListener("click", function () { turn(-1); });
    buttons.next.addEventListener("click", function () { turn(1); });
    buttons["zoom-in"].addEventListener("click", function () { zoom(1.5); });
    buttons["zoom-out"].addEventListener("click", function () { zoom(1 / 1.5); });
    buttons.home.addEventListener("click", function () { viewer.viewport.goHome(); });
    viewer.addHandler("page", function (event) { show(event.page); });
    canvas.addEventListener("keydown", function (event) {
      if (event.key === "PageDown" || event.key === "PageUp") {
        turn(event.key === "PageDown" ? 1 : -1);
        event.preventDefault();
      }
    });
    show(0);
  }

  function start(container) {
    fetch(container.getAttribute("data-manifest"), { headers: { Accept: "application/ld+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("The manifest could not be read."); }
        return response.json();
      })
      .then(function (manifest) {
        var pages = pagesOf(manifest);
        if (pages.length && window.OpenSeadragon) { open(container, pages); }
      })
      .catch(function () { /* The thumbnails and links below stay, as without JavaScript. */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".viewer[data-manifest]").forEach(start);
  });
})();
