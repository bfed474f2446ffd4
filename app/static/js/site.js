// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    // The error summary takes focus so screen-reader and keyboard users hear it first.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }

    // Error-summary links move focus into the field, not just scroll to it.
    document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) { return; }
        event.preventDefault();
        var group = target.closest("fieldset") || target.closest(".form-group");
        if (group) { group.scrollIntoView(); }
        target.focus();
      });
    });

    // Show-password toggle: the button is hidden until this script can make it work.
    document.querySelectorAll("[data-show-password]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-show-password"));
      if (!input) { return; }
      var showText = button.textContent;
      var hideText = button.getAttribute("data-hide-label");
      button.hidden = false;
      button.addEventListener("click", function () {
        var show = input.type === "password";
        input.type = show ? "text" : "password";
        button.setAttribute("aria-pressed", show ? "true" : "false");
        button.textContent = show ? hideText : showText;
      });
    });
  });
})();
