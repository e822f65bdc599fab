/* Clientside callbacks of the Sozialraum-Monitor (no network access, no external library). */
(function () {
    "use strict";
    var noUpdate = function () { return window.dash_clientside.no_update; };
    var lastFit = {key: null};
    var syncing = {until: 0};

    function clearLater(id, ms) {
        window.setTimeout(function () {
            var el = document.getElementById(id);
            if (el) { el.textContent = ""; }
        }, ms);
    }

    function unionBox(bounds, municipalities) {
        var boxes = (municipalities || []).map(function (m) { return bounds.municipalities[m]; })
            .filter(function (b) { return !!b; });
        if (!boxes.length) { return bounds.region; }
        var s = Math.min.apply(null, boxes.map(function (b) { return b[0][0]; }));
        var w = Math.min.apply(null, boxes.map(function (b) { return b[0][1]; }));
        var n = Math.max.apply(null, boxes.map(function (b) { return b[1][0]; }));
        var e = Math.max.apply(null, boxes.map(function (b) { return b[1][1]; }));
        return [[s, w], [n, e]];
    }

    /* Fit a Leaflet map to ``box`` once its container has a size (the compare map is shown by a
     * server response that may arrive after this call); gives up after about three seconds. */
    function fitWhenVisible(layerId, containerId, box, padding, tries) {
        var map = window.sozialraum && window.sozialraum.map && window.sozialraum.map.instances[layerId];
        var el = document.getElementById(containerId);
        tries = tries || 0;
        if (!map || !el || el.clientWidth === 0 || el.clientHeight === 0) {
            if (tries < 60) {
                window.setTimeout(function () { fitWhenVisible(layerId, containerId, box, padding, tries + 1); }, 50);
            }
            return;
        }
        map.invalidateSize(false);
        var options = {padding: padding || [16, 16], animate: false};
        if (fitsAlready(map, box, options)) { return; }
        map.fitBounds(box, options);
    }

    /* Whether the map shows ``box`` as fitBounds would (the page's own ``viewport`` fit usually
     * did): a second fit redraws every area, about 0.8 s at 10,000 areas. */
    function fitsAlready(map, box, options) {
        if (typeof map._getBoundsCenterZoom !== "function" || !map._loaded) { return false; }
        var target = map._getBoundsCenterZoom(window.L ? window.L.latLngBounds(box) : box, options);
        if (!target || target.zoom !== map.getZoom()) { return false; }
        var here = map.latLngToContainerPoint(map.getCenter());
        var there = map.latLngToContainerPoint(target.center);
        return Math.abs(here.x - there.x) < 1 && Math.abs(here.y - there.y) < 1;
    }

    /* A clientside callback's result after the browser has painted the current frame and begun
     * the next (Dash waits for the promise): the map's restyle of a switch is on screen before
     * the table and series are rebuilt, and their work does not hold back the frame after it. */
    window.sozialraum = Object.assign({}, window.sozialraum, {afterPaint: function (build) {
        return new Promise(function (resolve) {
            window.requestAnimationFrame(function () {
                window.requestAnimationFrame(function () { window.setTimeout(function () { resolve(build()); }, 0); });
            });
        });
    }});

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        sozialraum: {
            copyLink: function (n) {
                if (!n) { return noUpdate(); }
                var url = window.location.href;
                function fallback() {
                    var area = document.createElement("textarea");
                    area.value = url;
                    area.setAttribute("readonly", "");
                    area.style.position = "absolute";
                    area.style.left = "-9999px";
                    document.body.appendChild(area);
                    area.select();
                    try { document.execCommand("copy"); } catch (e) { /* shown below */ }
                    document.body.removeChild(area);
                }
                if (navigator.clipboard && window.isSecureContext) {
                    navigator.clipboard.writeText(url).catch(fallback);
                } else {
                    fallback();
                }
                clearLater("copy-link-status", 3000);
                return "Link kopiert";
            },
            fitMaps: function (state, resetMain, resetCompare, bounds) {
                var none = [noUpdate(), noUpdate(), noUpdate()];
                if (!bounds) { return none; }
                var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
                var munis = (state && state.municipalities) || [];
                var key = munis.slice().sort().join(",") + "|" + ((state && state.compare) ? "c" : "");
                var box = unionBox(bounds, munis);
                var reset = trigger.indexOf("map-reset") === 0 || trigger.indexOf("map-compare-reset") === 0;
                if (lastFit.key === null) {  // page load: fit as soon as the maps have drawn
                    lastFit.key = key;
                    fitWhenVisible("map-layer", "map", box, bounds.padding);
                    if (state && state.compare) { fitWhenVisible("map-compare-layer", "map-compare", box, bounds.padding); }
                    return none;
                }
                if (!reset && key === lastFit.key) { return none; }
                lastFit.key = key;
                fitWhenVisible("map-layer", "map", box, bounds.padding);
                if (state && state.compare) { fitWhenVisible("map-compare-layer", "map-compare", box, bounds.padding); }
                return none;
            },
            syncMaps: function (mainCenter, mainZoom, compareCenter, compareZoom, state) {
                if (!state || !state.compare || Date.now() < syncing.until) { return [noUpdate(), noUpdate()]; }
                var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
                syncing.until = Date.now() + 400;  // the follower's own moveend must not echo back
                if (trigger.indexOf("map-compare.") === 0 && compareCenter) {
                    return [{center: [compareCenter.lat, compareCenter.lng], zoom: compareZoom, transition: "setView",
                             options: {animate: false}}, noUpdate()];
                }
                if (trigger.indexOf("map.") === 0 && mainCenter) {
                    return [noUpdate(), {center: [mainCenter.lat, mainCenter.lng], zoom: mainZoom, transition: "setView",
                                         options: {animate: false}}];
                }
                return [noUpdate(), noUpdate()];
            },
            toggleDrawer: function () {
                var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
                var open = trigger.indexOf("filter-toggle") === 0;
                var toggle = document.getElementById("filter-toggle");
                if (toggle) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
                document.body.classList.toggle("drawer-open", open);
                if (open) {
                    window.setTimeout(function () {
                        var first = document.querySelector("#filter-drawer button, #filter-drawer input");
                        if (first) { first.focus(); }
                    }, 50);
                } else if (toggle) {
                    toggle.focus();
                }
                return open ? "filter-drawer open" : "filter-drawer";
            },
            showSelection: function (state, gridId) {
                var areas = (state && state.areas) || [];
                var last = areas[areas.length - 1];
                if (last && window.dash_ag_grid && window.dash_ag_grid.getApiAsync) {
                    window.dash_ag_grid.getApiAsync(gridId).then(function (api) {
                        var node = api.getRowNode(last);
                        if (node) { api.ensureNodeVisible(node, "middle"); }
                    });
                }
                return noUpdate();
            },
            fitGridColumns: function (gridId) {
                if (window.innerWidth < 576 && window.dash_ag_grid && window.dash_ag_grid.getApiAsync) {
                    window.dash_ag_grid.getApiAsync(gridId).then(function (api) {
                        api.setColumnsVisible(["municipality", "diff", "class_no"], false);
                        api.sizeColumnsToFit();
                    });
                }
                return noUpdate();
            }
        }
    });

    // Esc closes the filter drawer.
    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && document.body.classList.contains("drawer-open")) {
            var close = document.getElementById("filter-close");
            if (close) { close.click(); }
        }
    });
})();
