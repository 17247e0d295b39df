/* Write a page's filters into the address bar without reloading, so the view can be shared, and
   keep the navigation links carrying the period (and theme) on screen: each link's <li> names
   what it carries in data-carry (components/shell.py NAV_CARRIES).
   Ids read here (components/ids.py): none. */
(function () {
    function carryToNav() {
        var setProps = window.dash_clientside && window.dash_clientside.set_props;
        if (!setProps) { return; }
        var params = new URLSearchParams(window.location.search);
        document.querySelectorAll("li[data-carry]").forEach(function (item) {
            var link = item.querySelector("a[id]");
            if (!link) { return; }
            var carried = new URLSearchParams();
            item.getAttribute("data-carry").split(" ").forEach(function (key) {
                params.getAll(key).forEach(function (value) { carried.append(key, value); });
            });
            var query = carried.toString();
            setProps(link.id, {href: item.getAttribute("data-path") + (query ? "?" + query : "")});
        });
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        urlsync: {
            replaceQuery: function (query) {
                if (typeof query === "string") {
                    window.history.replaceState(null, "", window.location.pathname + query);
                    carryToNav();
                }
            },
            // Called whenever Dash's page location changes (app.py).
            carryToNav: function () { carryToNav(); }
        }
    });
})();
