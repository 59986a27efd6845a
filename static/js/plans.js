// "Add a row" for the plan section formsets: clones the empty form kept in a <template>.
// Without JavaScript the formset still works: each save offers one new empty row.
(function () {
  "use strict";
  document.querySelectorAll(".js-add-row").forEach(function (button) {
    var prefix = button.dataset.formset;
    var template = document.getElementById(prefix + "-empty");
    var list = document.querySelector('.part-rows[data-formset="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !list || !total) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = list.lastElementChild.querySelector("input:not([type=hidden]), textarea, select");
      if (added) {
        added.focus();
      }
    });
  });
})();
