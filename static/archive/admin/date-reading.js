// The document form: tell the curator, while typing, how the date will be read.
// The form works without this. The address to ask is the script element's data-read-date-url.
(function () {
  "use strict";
  var url = document.currentScript.getAttribute("data-read-date-url");

  function setUp() {
    var input = document.getElementById("id_date_text");
    if (!input) { return; }
    var out = document.createElement("p");
    out.id = "date-reading";
    out.setAttribute("aria-live", "polite");
    out.className = "help";
    input.insertAdjacentElement("afterend", out);
    var timer = null;
    function read() {
      fetch(url + "?text=" + encodeURIComponent(input.value), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          out.textContent = data.ok ? "Will be read as: " + data.description : data.error;
          out.classList.toggle("error", !data.ok);
        });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(read, 250); });
    if (input.value) { read(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
