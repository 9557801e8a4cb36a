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
