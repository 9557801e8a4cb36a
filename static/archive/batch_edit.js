// The batch edit form: choosing another field shows its values at once (the page is sent again
// with step=form); without scripts, the "Show this field's values" button does the same.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("batch-edit-form");
  if (!form) return;
  const refresh = form.querySelector(".batch-edit-refresh");
  form.querySelector("select[name=field]").addEventListener("change", () => {
    form.requestSubmit(refresh);
  });
  refresh.hidden = true;
});

// The autocomplete's search box (select2's, made and remade as values are chosen) is named by
// the field's label, for screen readers.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("batch-edit-form");
  const label = document.querySelector("label[for=id_values]");
  if (!form || !label) return;
  const name = `Find ${label.textContent.replace(/:\s*$/, "")}`;
  const nameSearchBoxes = () => {
    for (const search of form.querySelectorAll(".select2-search__field:not([aria-label])")) {
      search.setAttribute("aria-label", name);
    }
  };
  new MutationObserver(nameSearchBoxes).observe(form, { childList: true, subtree: true });
  nameSearchBoxes();
});
