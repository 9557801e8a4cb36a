// Name the boxes that select2 (the admin's autocomplete widget, drawn by script) puts in place
// of a select: select2 4.0 leaves its combobox and search box without a name, so a screen
// reader announces "combobox" alone. Each takes the label of the select it stands for, also in
// rows added later ("Add another"), which select2 draws when they appear.
(function () {
  "use strict";

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    return label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling;
      var name = labelOf(select);
      if (!box || !box.classList.contains("select2") || !name) { return; }
      box.querySelectorAll(
        ".select2-selection, .select2-search__field, .select2-selection__rendered[role=textbox]"
      ).forEach(function (element) {
        if (element.getAttribute("aria-label") !== name) {
          element.setAttribute("aria-label", name);
        }
      });
      // The chosen entries are list items; select2 puts its "remove all" button among them.
      var chosen = box.querySelector("ul.select2-selection__rendered");
      if (chosen && !chosen.hasAttribute("role")) { chosen.setAttribute("role", "list"); }
    });
  }

  var pending = false;
  function soon() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; nameAll(); });
  }

  function start() {
    nameAll();
    // select2 redraws a multiple choice's box on every change, and draws new rows' boxes.
    new MutationObserver(soon).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
