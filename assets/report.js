/* The board pack's running footer: @page margin boxes (assets/report.css) can only read a custom
   property of the root element, so the pack's words (its data-footer) are copied there.
   Ids read here (components/ids.py): report-pack. */
(function () {
  function setFooter() {
    var pack = document.getElementById("report-pack");
    var root = document.documentElement;
    if (pack && pack.dataset.footer) {
      root.style.setProperty("--pack-footer", JSON.stringify(pack.dataset.footer));
    } else {
      root.style.removeProperty("--pack-footer");
    }
  }
  new MutationObserver(setFooter).observe(document.documentElement,
                                          {childList: true, subtree: true});
  window.addEventListener("beforeprint", setFooter);
})();
