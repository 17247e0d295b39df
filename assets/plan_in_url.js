/* Keep the chosen plan (?plan=ID) in the address as a person moves between pages (issue 13).
   The server reads the plan of Dash's own requests (the layout, every callback) from the
   address of the page that sends them, and every link and download should open the plan being
   read. So: any change of address the app makes (dcc.Link, the filters written into the address)
   keeps plan=, and a link clicked without plan= gets it. Without plan= the current plan is
   shown, so nothing is added then. Ids read here (components/ids.py): none. */
(function () {
  var PARAM = "plan";

  function chosenPlan() {
    return new URL(window.location.href).searchParams.get(PARAM);
  }

  function withPlan(url) {
    var plan = chosenPlan();
    if (!plan || url === undefined || url === null) {
      return url;
    }
    var target = new URL(String(url), window.location.href);
    if (target.origin !== window.location.origin || target.searchParams.has(PARAM)) {
      return url;
    }
    target.searchParams.set(PARAM, plan);
    return target.pathname + target.search + target.hash;
  }

  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function (state, title, url) {
      return original.call(window.history, state, title, withPlan(url));
    };
  });

  // The header's plan switcher is drawn with the page: going back or forward to another plan's
  // address loads that page afresh, so the switcher and the page agree.
  var planAtLoad = chosenPlan();
  window.addEventListener("popstate", function () {
    if (chosenPlan() !== planAtLoad) {
      window.location.reload();
    }
  });

  // Capture phase: before the link is followed (or opened in a new tab), so its address
  // carries the plan too.
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[href]") : null;
    if (!link) {
      return;
    }
    var href = link.getAttribute("href");
    var fixed = withPlan(href);
    if (fixed !== href) {
      link.setAttribute("href", fixed);
    }
  }, true);
})();
