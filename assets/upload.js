// dcc.Upload renders its file input without a name; give each one a name for screen readers
// (WCAG 4.1.2): the returns upload on /upload and the plan import on /plans.
// Ids read here (components/ids.py): upload-file, plans-file.
(function () {
  var LABELS = {
    "upload-file": "Choose a returns file to upload",
    "plans-file": "Choose a plan file to import"
  };
  function nameUploadInputs() {
    Object.keys(LABELS).forEach(function (id) {
      document.querySelectorAll("#" + id + " input[type=file]:not([aria-label])").forEach(
        function (input) { input.setAttribute("aria-label", LABELS[id]); });
    });
  }
  new MutationObserver(nameUploadInputs).observe(document.documentElement,
                                                 {childList: true, subtree: true});
})();
