/* A page opened at an address with a #fragment (the KPI page's Compare form comes back to
   #kpi-comparators) is drawn by Dash after the browser has looked for the fragment, so the
   browser cannot scroll to it: scroll once the element is there and the page has settled.
   Ids read here (components/ids.py): none (the address's #fragment names the id). */
(function () {
  var id = decodeURIComponent(window.location.hash.slice(1));
  if (!id) { return; }
  var timer = null, stopped = false;
  function stop() { stopped = true; observer.disconnect(); }
  function scroll() {
    var target = document.getElementById(id);
    if (!stopped && target) { target.scrollIntoView(); }
  }
  var observer = new MutationObserver(function () {
    if (!document.getElementById(id)) { return; }
    clearTimeout(timer);
    timer = setTimeout(scroll, 250);  // after the charts above it have taken their height
  });
  observer.observe(document.documentElement, {childList: true, subtree: true});
  // A person who scrolls or types first keeps their place.
  ["wheel", "keydown", "touchstart"].forEach(function (name) {
    window.addEventListener(name, stop, {once: true});
  });
  setTimeout(stop, 10000);
})();
