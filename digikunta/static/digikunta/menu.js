// The site menu on narrow screens (issue 10): a button opens and closes the navigation and the
// language links; Escape closes it and gives the focus back to the button. Without this
// script the menu simply stays open (the button stays hidden). On a phone it also folds the
// parts marked data-fold-on-phone.
(function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  var header = document.querySelector(".site-header");
  if (!button || !header) {
    return;
  }
  document.documentElement.classList.add("has-menu");
  button.hidden = false;

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("is-open", open);
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Parts that fold on a phone (the case bank's filters): open elsewhere, closed here.
  if (window.matchMedia("(max-width: 37.5rem)").matches) {
    document.querySelectorAll("details[data-fold-on-phone]").forEach(function (details) {
      details.removeAttribute("open");
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
