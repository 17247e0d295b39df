// dcc.Upload renders its file input without a name; give /plans' one a name for screen readers
// (WCAG 4.1.2), as assets/upload.js does for /upload's.
(function () {
  function namePlanInputs() {
    document.querySelectorAll("#plans-file input[type=file]:not([aria-label])").forEach(
      function (input) { input.setAttribute("aria-label", "Choose a plan file to import"); });
  }
  new MutationObserver(namePlanInputs).observe(document.documentElement,
                                               {childList: true, subtree: true});
})();
