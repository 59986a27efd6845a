// Task pages: the live timeline preview (the agency pickers are agency-picker.js).
// Everything here is an enhancement: the form works the same without JavaScript.
"use strict";

(function () {
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
    document.querySelectorAll("input[data-timeline-preview]").forEach(enhanceTimeline);
  });
})();
