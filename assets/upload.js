// dcc.Upload renders its file input without a name; give it one for screen readers (WCAG 4.1.2).
// Ids read here (components/ids.py): upload-file.
(function () {
  function nameUploadInputs() {
    document.querySelectorAll("#upload-file input[type=file]:not([aria-label])").forEach(
      function (input) { input.setAttribute("aria-label", "Choose a returns file to upload"); });
  }
  new MutationObserver(nameUploadInputs).observe(document.documentElement,
                                                 {childList: true, subtree: true});
})();
