// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // "Copy citation" buttons: shown only where the clipboard can be used.
  function setUpCopyButtons() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    buttons.forEach(function (button) {
      if (!navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        var status = button.parentElement.querySelector(".copy-status");
        navigator.clipboard.writeText(target.textContent.trim()).then(
          function () {
            if (status) { status.textContent = "Citation copied to the clipboard."; }
          },
          function () {
            if (status) { status.textContent = "Copying failed: select the citation and copy it by hand."; }
          }
        );
      });
    });
  }

  // The language switch of a document's translations or transcripts: without this script its
  // links lead to the texts, all shown; with it, they become tabs showing one text at a time
  // (the WAI-ARIA tabs pattern: arrow keys, Home and End move between them).
  function setUpLanguageSwitches() {
    document.querySelectorAll("[data-reading-group]").forEach(function (group) {
      var list = group.querySelector("[data-language-switch]");
      if (!list) {
        return;
      }
      var tabs = Array.prototype.slice.call(list.querySelectorAll("a"));
      var panels = tabs.map(function (tab) {
        return document.getElementById(tab.getAttribute("href").slice(1));
      });
      if (panels.some(function (panel) { return !panel; })) {
        return;
      }
      list.setAttribute("role", "tablist");
      list.querySelectorAll("li").forEach(function (item) { item.setAttribute("role", "presentation"); });

      function select(index, focus) {
        tabs.forEach(function (tab, i) {
          var selected = i === index;
          tab.setAttribute("aria-selected", selected ? "true" : "false");
          tab.tabIndex = selected ? 0 : -1;
          panels[i].hidden = !selected;
        });
        if (focus) {
          tabs[index].focus();
        }
      }

      tabs.forEach(function (tab, i) {
        tab.setAttribute("role", "tab");
        tab.setAttribute("aria-controls", panels[i].id);
        panels[i].setAttribute("role", "tabpanel");
        panels[i].setAttribute("aria-labelledby", tab.id);
        panels[i].tabIndex = 0;
        tab.addEventListener("click", function (event) {
          event.preventDefault();
          select(i, false);
          if (history.replaceState) {
            history.replaceState(null, "", "#" + panels[i].id);
          }
        });
        tab.addEventListener("keydown", function (event) {
          var next = null;
          if (event.key === "ArrowRight" || event.key === "ArrowDown") { next = (i + 1) % tabs.length; }
          if (event.key === "ArrowLeft" || event.key === "ArrowUp") { next = (i - 1 + tabs.length) % tabs.length; }
          if (event.key === "Home") { next = 0; }
          if (event.key === "End") { next = tabs.length - 1; }
          if (next !== null) {
            event.preventDefault();
            select(next, true);
          }
        });
      });
      // A link to one of the texts (#translation-12) opens on it.
      var wanted = panels.findIndex(function (panel) { return "#" + panel.id === location.hash; });
      select(wanted >= 0 ? wanted : 0, false);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    setUpLanguageSwitches();
  });
})();
