// Follows a report being generated: polls its JSON status and reloads the page when the
// file is ready or has failed (the page then offers the download or says why).
// Without JavaScript the page has a "Refresh" link instead.
(function () {
  "use strict";
  var INTERVAL = 2000;

  function poll(box) {
    var url = box.getAttribute("data-status-url");
    var label = box.querySelector("[data-status-label]");
    window.setTimeout(function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          if (label) {
            label.textContent = data.status_label;
            label.className = "summary-state is-" + data.status;
          }
          if (data.finished) {
            window.location.reload();
          } else {
            poll(box);
          }
        })
        .catch(function () { poll(box); });
    }, INTERVAL);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-status-url]");
    for (var i = 0; i < boxes.length; i += 1) { poll(boxes[i]); }
  });
})();
