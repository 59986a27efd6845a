// A form kept when the session expired (templates/registration/_pending_form.html): put what
// was typed back into the page's own form, so that it can be checked and sent as usual.
document.addEventListener("DOMContentLoaded", () => {
  const kept = document.querySelector("section.pending-form form");
  if (!kept) return;
  const target = Array.from(document.querySelectorAll("main form"))
    .find((form) => form !== kept && form.action === kept.action);
  if (!target) return;
  const values = new Map();
  for (const input of kept.querySelectorAll("input[type=hidden]")) {
    if (input.name === "csrfmiddlewaretoken") continue;
    values.set(input.name, [...(values.get(input.name) || []), input.value]);
  }
  for (const [name, list] of values) {
    for (const field of target.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (field.type === "file" || field.type === "hidden" && name !== "version") continue;
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = list.includes(field.value);
      } else if (field.multiple) {
        for (const option of field.options) option.selected = list.includes(option.value);
      } else {
        field.value = list[0];
      }
    }
  }
  kept.closest("section").querySelector(".restored").hidden = false;
});
