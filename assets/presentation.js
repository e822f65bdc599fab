/* Presentation mode keys (issue 9): arrows, space and Esc click the on-screen buttons, so the
   keyboard and the buttons run the same callbacks. Only active on the presentation page. */
(function () {
    var KEYS = {
        ArrowLeft: "pres-previous-indicator", ArrowRight: "pres-next-indicator",
        ArrowUp: "pres-next-year", ArrowDown: "pres-previous-year", " ": "pres-play"
    };
    document.addEventListener("keydown", function (event) {
        if (!document.getElementById("presentation")) { return; }
        if (event.altKey || event.ctrlKey || event.metaKey) { return; }
        var target = event.target;
        if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) { return; }
        if (event.key === "Escape") {
            var exit = document.getElementById("pres-exit");
            if (exit) { event.preventDefault(); window.location.href = exit.href; }
            return;
        }
        var id = KEYS[event.key];
        if (!id) { return; }
        var button = document.getElementById(id);
        if (!button) { return; }
        event.preventDefault();  // no page scrolling, no button "click" twice on space
        button.click();
    });
}());

/* Fit the presentation map to the region (or the filter) once it has its full-screen size, and
   again when the window changes size (a projector's resolution is known only here). */
(function () {
    function fit(tries) {
        var page = document.getElementById("presentation");
        if (!page) {
            if (tries < 100) { window.setTimeout(function () { fit(tries + 1); }, 50); }
            return;
        }
        var maps = window.sozialraum && window.sozialraum.map && window.sozialraum.map.instances;
        var map = maps && maps["pres-layer"];
        var el = document.getElementById("pres-map");
        if (!map || !el || el.clientWidth === 0 || el.clientHeight === 0) {
            if (tries < 200) { window.setTimeout(function () { fit(tries + 1); }, 50); }
            return;
        }
        var bounds = JSON.parse(page.getAttribute("data-bounds"));
        map.invalidateSize(false);
        map.fitBounds(bounds, {padding: [24, 24], animate: false});
        // dash-leaflet may still apply its initial view after this: check, and fit again if so.
        window.setTimeout(function () {
            var wanted = map.getBoundsZoom(bounds, false, L.point(48, 48));
            if (Math.abs(map.getZoom() - wanted) > 0.5 && tries < 190) { fit(tries + 10); return; }
            page.setAttribute("data-fitted", "true");
        }, 250);
    }
    window.addEventListener("load", function () { fit(0); });
    window.addEventListener("resize", function () { fit(100); });
}());
