// Task pages: search boxes for the agency pickers and the live timeline preview.
// Everything here is an enhancement: the form works the same without JavaScript.
"use strict";

(function () {
  // "Sở Nội vụ" and "so noi vu" fold to the same text, as cchc_plans.search.fold does.
  function fold(text) {
    return text
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  function enhancePicker(select, texts) {
    var options = Array.prototype.slice.call(select.options);
    // " so tu" matches the start of words: "y te" finds "Sở Y tế", not "Quản lý ... kinh tế".
    options.forEach(function (option) {
      option.dataset.folded = " " + fold(option.text).replace(/[^a-z0-9]+/g, " ");
    });

    var search = document.createElement("input");
    search.type = "search";
    search.className = "tk-picker-search";
    search.placeholder = texts.placeholder;
    search.setAttribute("aria-label", texts.placeholder + " — " + (select.labels[0] ? select.labels[0].textContent : ""));
    search.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(search, select);

    var picked = document.createElement("p");
    picked.className = "tk-picked";
    picked.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(picked, select.nextSibling);

    function showPicked() {
      var names = options.filter(function (o) { return o.selected; }).map(function (o) { return o.text; });
      picked.textContent = names.length ? texts.picked + " " + names.join("; ") : texts.none;
    }

    search.addEventListener("input", function () {
      var words = fold(search.value).replace(/[^a-z0-9]+/g, " ").split(" ").filter(Boolean);
      options.forEach(function (option) {
        option.hidden = !words.every(function (word) { return option.dataset.folded.indexOf(" " + word) !== -1; });
      });
    });
    // Enter in the search box must not submit the whole form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    // A click toggles one option without losing the others (no Ctrl needed).
    select.addEventListener("mousedown", function (event) {
      var option = event.target;
      if (option.tagName !== "OPTION") { return; }
      event.preventDefault();
      option.selected = !option.selected;
      select.focus();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    select.addEventListener("change", showPicked);
    showPicked();
  }

  function enhanceTimeline(input) {
    var output = document.getElementById(input.getAttribute("aria-describedby").split(" ")[0]);
    var url = input.dataset.timelinePreview;
    var timer = null;
    var latest = 0;

    function preview() {
      var asked = ++latest;
      var query = new URLSearchParams({ text: input.value, plan: input.dataset.plan });
      fetch(url + "?" + query.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || asked !== latest) { return; }
          output.textContent = data.message;
          output.classList.toggle("tk-review", data.needs_review);
        })
        .catch(function () { /* keep the last preview; saving still resolves the phrase */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(preview, 300);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.documentElement.classList.add("tk-js");
    document.querySelectorAll("[data-agency-pickers]").forEach(function (box) {
      var texts = { placeholder: box.dataset.searchPlaceholder, picked: box.dataset.pickedLabel, none: box.dataset.noneLabel };
      box.querySelectorAll("select[data-agency-picker]").forEach(function (select) { enhancePicker(select, texts); });
    });
    document.querySelectorAll("input[data-timeline-preview]").forEach(enhanceTimeline);
  });
})();
