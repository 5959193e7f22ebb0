// The ballot's running total (budgeting/ballot.html): as projects are ticked, what they cost
// together and what remains of the area's budget, in the same sentence the server writes, and
// which projects no longer fit. Without this script the page still works: the review step
// computes the same and refuses a ballot over the budget.
(function () {
  "use strict";
  var form = document.querySelector("form[data-budget]");
  if (!form) {
    return;
  }
  var summary = document.getElementById("budget-summary");
  var meter = form.querySelector(".budget-meter");
  var chosenOut = form.querySelector("[data-chosen]");
  var remainingOut = form.querySelector("[data-remaining]");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox][data-cost]"));
  var lang = document.documentElement.lang || "fi";
  var locale = { fi: "fi-FI", sv: "sv-FI", en: "en-GB" }[lang] || lang;

  function cents(text) {
    return Math.round(parseFloat(text) * 100);
  }

  function euros(amount) {
    var whole = amount % 100 === 0;
    return new Intl.NumberFormat(locale, {
      minimumFractionDigits: whole ? 0 : 2,
      maximumFractionDigits: whole ? 0 : 2,
      useGrouping: true,
    }).format(amount / 100);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  var budget = cents(form.getAttribute("data-budget"));

  function update() {
    var total = 0;
    var count = 0;
    boxes.forEach(function (box) {
      if (box.checked) {
        total += cents(box.getAttribute("data-cost"));
        count += 1;
      }
    });
    var remaining = budget - total;
    var over = remaining < 0;
    chosenOut.textContent = euros(total) + " €";
    remainingOut.textContent = (over ? "−" : "") + euros(Math.abs(remaining)) + " €";
    meter.classList.toggle("is-over", over);
    var key = count === 0 ? "none" : over ? (count === 1 ? "overOne" : "overMany") : count === 1 ? "one" : "many";
    summary.textContent = fill(summary.dataset[key], {
      count: String(count),
      total: euros(total),
      remaining: euros(Math.max(remaining, 0)),
      over: euros(Math.max(-remaining, 0)),
    });
    boxes.forEach(function (box) {
      var hint = box.closest(".ballot-project").querySelector("[data-no-fit]");
      if (hint) {
        hint.hidden = box.checked || cents(box.getAttribute("data-cost")) <= remaining;
      }
    });
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", update);
  });
  update();
})();
