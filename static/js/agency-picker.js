// The agency picker (agencies/widgets.py): a search box, group and kind buttons, chips.
// Without JavaScript the picker is a plain list of checkboxes (or radio buttons).
// The matching rules are the server's (agencies/names.py): each option carries its words in
// data-search; here the query is only folded like cchc_plans.search.fold and each of its
// words looked for at the start of one of them.
"use strict";

(function () {
  function fold(text) {
    return text
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  // "Sở TT & TT" → ["so", "tttt"]: "&" joins an abbreviation, other punctuation separates.
  function queryWords(text) {
    return fold(text)
      .replace(/\s*&\s*/g, "")
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
  }

  function matches(words, key) {
    var padded = " " + key;
    return words.every(function (word) { return padded.indexOf(" " + word) !== -1; });
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_all, name) { return values[name]; });
  }

  function enhance(picker) {
    if (picker.dataset.enhanced) { return; }
    picker.dataset.enhanced = "1";
    var multiple = picker.hasAttribute("data-multiple");
    var tools = picker.querySelector(".ap-tools");
    var search = picker.querySelector(".ap-search");
    var status = picker.querySelector(".ap-status");
    var chips = picker.querySelector(".ap-chips");
    var inputs = Array.prototype.slice.call(picker.querySelectorAll(".ap-options input"));
    var groups = Array.prototype.slice.call(picker.querySelectorAll(".ap-group"));
    var kinds = Array.prototype.slice.call(picker.querySelectorAll(".ap-kind"));
    var groupBox = picker.querySelector(".ap-groups");
    var byValue = {};
    inputs.forEach(function (input) { byValue[input.value] = input; });
    tools.hidden = false;
    picker.classList.add("ap-enhanced");

    function visibleInputs() {
      return inputs.filter(function (input) { return !input.closest("li").hidden; });
    }

    function nameOf(input) { return input.closest("label").textContent.trim(); }

    // One option of the list is in the tab order (the checked one or the first shown);
    // the arrows move between the others.
    function setRoving(target) {
      var shown = visibleInputs();
      if (!target || shown.indexOf(target) === -1) {
        target = shown.filter(function (input) { return input.checked; })[0] || shown[0];
      }
      inputs.forEach(function (input) { input.tabIndex = input === target ? 0 : -1; });
    }

    function showStatus() {
      var picked = inputs.filter(function (input) { return input.checked; });
      var text = format(picker.dataset.countMatching, { shown: visibleInputs().length, total: inputs.length });
      if (multiple) { text += " · " + format(picker.dataset.countPicked, { picked: picked.length }); }
      status.textContent = text;
      chips.textContent = "";
      if (!picked.length) {
        var none = document.createElement("li");
        none.className = "ap-none";
        none.textContent = picker.dataset.noneLabel;
        chips.appendChild(none);
      }
      picked.forEach(function (input) {
        var item = document.createElement("li");
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "ap-chip";
        chip.dataset.value = input.value;
        chip.setAttribute("aria-label", format(picker.dataset.removeLabel, { name: nameOf(input) }));
        chip.textContent = nameOf(input) + " ×";
        item.appendChild(chip);
        chips.appendChild(item);
      });
    }

    function filter() {
      var words = queryWords(search.value);
      inputs.forEach(function (input) {
        input.closest("li").hidden = words.length > 0 && !matches(words, input.dataset.search || "");
      });
      groups.forEach(function (button) {
        button.hidden = words.length > 0 && !matches(words, button.dataset.search || "");
      });
      if (groupBox) {
        groupBox.hidden = !groups.some(function (button) { return !button.hidden; });
      }
      kinds.forEach(function (fieldset) {
        fieldset.hidden = !fieldset.querySelector(".ap-options li:not([hidden])");
      });
      setRoving();
      showStatus();
    }

    function pick(values) {
      values.forEach(function (value) {
        var input = byValue[value];
        if (input && !input.disabled) { input.checked = true; }
      });
      picker.dispatchEvent(new Event("change", { bubbles: true }));
      showStatus();
    }

    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      var shown = visibleInputs();
      if (event.key === "ArrowDown" || (event.key === "Enter" && shown.length)) {
        event.preventDefault();
        if (shown.length) { setRoving(shown[0]); shown[0].focus(); }
      } else if (event.key === "Enter") {
        event.preventDefault();  // never submits the whole form
      } else if (event.key === "Escape" && search.value) {
        event.preventDefault();
        search.value = "";
        filter();
      }
    });

    picker.addEventListener("keydown", function (event) {
      var input = event.target;
      if (inputs.indexOf(input) === -1) { return; }
      var shown = visibleInputs();
      var at = shown.indexOf(input);
      var next = null;
      if (event.key === "ArrowDown" || event.key === "ArrowRight") {
        next = shown[Math.min(at + 1, shown.length - 1)];
      } else if (event.key === "ArrowUp" || event.key === "ArrowLeft") {
        next = shown[Math.max(at - 1, 0)];
      } else if (event.key === "Home") {
        next = shown[0];
      } else if (event.key === "End") {
        next = shown[shown.length - 1];
      } else if (event.key === "Enter") {
        event.preventDefault();
        input.click();
        return;
      } else if (event.key === "Escape") {
        event.preventDefault();
        search.focus();
        search.select();
        return;
      } else {
        return;
      }
      // Arrows move the focus only: a radio button is picked with Space or Enter too.
      event.preventDefault();
      if (next) { setRoving(next); next.focus(); }
    });

    picker.addEventListener("change", function (event) {
      if (inputs.indexOf(event.target) !== -1) { setRoving(event.target); }
      showStatus();
    });

    chips.addEventListener("click", function (event) {
      var chip = event.target.closest(".ap-chip");
      if (!chip) { return; }
      var input = byValue[chip.dataset.value];
      input.checked = false;
      picker.dispatchEvent(new Event("change", { bubbles: true }));
      showStatus();
      // The focus stays in the picker: on the next chip, or on the search box.
      var rest = chips.querySelectorAll(".ap-chip");
      (rest[0] || search).focus();
    });

    groups.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { pick(button.dataset.members.split(" ")); });
    });
    picker.querySelectorAll(".ap-select-kind").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var fieldset = button.closest(".ap-kind");
        pick(visibleInputs().filter(function (input) { return fieldset.contains(input); })
          .map(function (input) { return input.value; }));
      });
    });
    filter();
  }

  function enhanceAll(root) {
    root.querySelectorAll("[data-agency-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
    // Rows added by "Add a row" (plans.js) bring their own pickers.
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) { enhanceAll(node); }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
