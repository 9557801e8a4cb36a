// The deep-zoom viewer of a document's scans (progressive enhancement: without this file the
// page shows the scans' thumbnails and links; with it, a thumbnail opens its page here). It reads the document's IIIF Manifest, opens
// the image service of each canvas (static level-0 tiles) in OpenSeadragon, one page at a
// time, and adds named buttons and keys: OpenSeadragon's own (arrows pan, 0 fits the page, J
// and K turn pages), + and - to zoom a step, and Page Up / Page Down to turn pages.
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

  // OpenSeadragon adds an inline <style> (hiding the focus outline on touch screens) unless it
  // finds `style[data-openseadragon-mobile-css]`; the site's Content-Security-Policy refuses
  // inline styles. An element of that name outside the HTML namespace matches the selector and
  // is inert: no style sheet, nothing for the browser to refuse, and the outline stays.
  function quietInlineStyle() {
    if (!document.querySelector("style[data-openseadragon-mobile-css]")) {
      var inert = document.createElementNS("urn:x-archive:inert", "style");
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

    // The thumbnails below open their first page here (the links still open the file with a
    // modifier key, and without the viewer); the one shown is marked as the current one.
    var tiles = Array.prototype.slice.call(
      container.parentNode.querySelectorAll(".scan-tile[data-viewer-page]")
    );
    function markTile(page) {
      tiles.forEach(function (tile) {
        var first = Number(tile.getAttribute("data-viewer-page"));
        var count = Number(tile.getAttribute("data-viewer-pages"));
        if (page >= first && page < first + count) {
          tile.setAttribute("aria-current", "true");
        } else {
          tile.removeAttribute("aria-current");
        }
      });
    }
    tiles.forEach(function (tile) {
      tile.addEventListener("click", function (event) {
        if (!several || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
        event.preventDefault();
        viewer.goToPage(Number(tile.getAttribute("data-viewer-page")));
      });
    });

    function show(page) {
      current = page;
      markTile(page);
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
    // Caught before OpenSeadragon sees them: its own + and - zoom by 1% a frame while held,
    // too little for a key press; here each press zooms by half again, as the buttons do.
    // Page Up and Page Down turn pages wherever the focus is in the viewer, buttons included.
    container.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var zooms = { "+": 1.5, "=": 1.5, "-": 1 / 1.5, "_": 1 / 1.5 };
      if (zooms[event.key] && event.target === canvas) {
        zoom(zooms[event.key]);
      } else if (event.key === "PageDown" || event.key === "PageUp") {
        turn(event.key === "PageDown" ? 1 : -1);
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    }, true);
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
