// Municipality lists (municipalities/widgets.py, issue 10): a text box above the list hides the
// municipalities whose Finnish, Swedish or English name does not match what is typed. Chosen
// ones are never hidden; a live region says how many are chosen and shown. Without this script
// the list is a plain list of checkboxes grouped by region.
(function () {
  "use strict";

  // The same folding as widgets.search_text: lower case, no accents ("ä" matches "a").
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();
  }

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return values[key];
    });
  }

  function enhance(list) {
    if (list.dataset.enhanced) {
      return;
    }
    list.dataset.enhanced = "true";
    var tools = list.querySelector(".choice-list__tools");
    var filter = list.querySelector(".choice-list__filter");
    var status = list.querySelector(".choice-list__status");
    var none = list.querySelector(".choice-list__none");
    var options = list.querySelector(".choice-list__options");
    var groups = Array.prototype.slice.call(list.querySelectorAll(".choice-list__group"));
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-search]"));
    var inputs = Array.prototype.slice.call(list.querySelectorAll("input[name]"));
    var total = Number(list.dataset.total);
    var timer = null;
    var shown = total;
    tools.hidden = false;
    list.classList.add("is-enhanced");

    function chosenText() {
      var checked = inputs.filter(function (input) {
        return input.checked && input.value;
      });
      if (!checked.length) {
        return list.dataset.chosenNone;
      }
      if (checked[0].type === "radio") {
        return format(list.dataset.chosenName, { name: checked[0].parentNode.textContent.trim() });
      }
      var template = checked.length === 1 ? list.dataset.chosenOne : list.dataset.chosenOther;
      return format(template, { count: checked.length });
    }

    // Hides what does not match. A tick or an untick leaves the list as it is, so the focus
    // never disappears with the box just unticked.
    function narrow(query) {
      var matches = 0;
      shown = 0;
      groups.forEach(function (group) {
        // A region's name shows all its municipalities when what is typed begins one of its
        // words ("pohj" for Pohjanmaa); two letters would open half the country.
        var words = " " + group.dataset.search.replace(/-/g, " ");
        var wholeGroup = query.length >= 3 && words.indexOf(" " + query) !== -1;
        var visible = 0;
        group.querySelectorAll("li[data-search]").forEach(function (item) {
          var match = query === "" || wholeGroup || item.dataset.search.indexOf(query) !== -1;
          item.hidden = !(match || item.querySelector("input").checked);
          visible += item.hidden ? 0 : 1;
          matches += match ? 1 : 0;
        });
        group.hidden = visible === 0;
        shown += visible;
      });
      none.hidden = matches !== 0;
      none.textContent = matches ? "" : format(list.dataset.noMatch, { query: filter.value.trim() });
    }

    function announce() {
      var query = fold(filter.value);
      var parts = [chosenText()];
      if (query !== "") {
        parts.push(none.hidden ? format(list.dataset.shown, { shown: shown, total: total }) : none.textContent);
      }
      status.textContent = parts.join(" ");
    }

    filter.addEventListener("input", function () {
      // Narrow the list at once; say what is shown once typing pauses.
      narrow(fold(filter.value));
      options.scrollTop = 0;
      window.clearTimeout(timer);
      timer = window.setTimeout(announce, 400);
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // the filter is not an answer: Enter never submits the form
      } else if (event.key === "Escape" && filter.value !== "") {
        // Clearing the filter, not leaving a dialog.
        event.preventDefault();
        filter.value = "";
        narrow("");
        announce();
      } else if (event.key === "ArrowDown") {
        var first = items.filter(function (item) {
          return !item.hidden;
        })[0];
        if (first) {
          event.preventDefault();
          first.querySelector("input").focus();
        }
      }
    });
    list.addEventListener("change", function (event) {
      if (event.target !== filter) {
        announce();
      }
    });
    announce();
  }

  function enhanceAll(root) {
    root.querySelectorAll("[data-choice-list]").forEach(enhance);
  }

  enhanceAll(document);
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.detail.elt);
  });
})();
