/* Write a page's filters into the address bar without reloading, so the view can be shared.
   Ids read here (components/ids.py): none. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    urlsync: {
        replaceQuery: function (query) {
            if (typeof query === "string") {
                window.history.replaceState(null, "", window.location.pathname + query);
            }
        }
    }
});
