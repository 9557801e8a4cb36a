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

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
  });
})();
