/* Styles and tooltips of the atlas map (dash-leaflet GeoJSON), driven only by ``hideout``.
 * The server sends class codes, colours, values and ranks; the geometry stays in the browser.
 * Text goes into the DOM via textContent only: a name can never become HTML. */
(function () {
    "use strict";
    var NS = "http://www.w3.org/2000/svg";
    var SELECTED = "#d6006f";  // the selection outline: differs from every palette and from the borders
    var latest = {};  // hideout per layer id, for tooltips opened after a restyle
    /* In-place restyle: per layer id the Leaflet layers, the hideout prop they were built from
     * (``base``) and the newer hideout applied to them (``override``). A switch recolours the
     * existing shapes (setStyle) instead of rebuilding them: about 4× faster at 10,000 areas. */
    var registries = {};

    function effective(context) {
        var h = (context && context.hideout) || {};
        var reg = context && context.id !== undefined ? registries[context.id] : undefined;
        return reg && reg.override && (reg.base === h || reg.base === undefined) ? reg.override : h;
    }
    var instances = {};  // Leaflet map per layer id (tests and the presentation mode read it)

    function ensurePatterns() {
        if (document.getElementById("sr-patterns")) { return; }
        var svg = document.createElementNS(NS, "svg");
        svg.setAttribute("id", "sr-patterns");
        svg.setAttribute("width", "0");
        svg.setAttribute("height", "0");
        svg.setAttribute("aria-hidden", "true");
        svg.style.position = "absolute";
        svg.innerHTML =
            '<defs>' +
            '<pattern id="sr-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">' +
            '<rect width="8" height="8" fill="#f2f2f2"></rect><line x1="0" y1="0" x2="0" y2="8" stroke="#8a8a8a" stroke-width="2"></line></pattern>' +
            '<pattern id="sr-dots" width="7" height="7" patternUnits="userSpaceOnUse">' +
            '<rect width="7" height="7" fill="#a6a6a6"></rect><circle cx="3.5" cy="3.5" r="1.4" fill="#222222"></circle></pattern>' +
            '</defs>';
        document.body.appendChild(svg);
    }

    function fmt(value, decimals) {
        if (value === null || value === undefined || isNaN(value)) { return "–"; }
        var text = new Intl.NumberFormat("de-DE", {minimumFractionDigits: decimals, maximumFractionDigits: decimals})
            .format(value);
        return text.replace("-", "−");
    }

    /* Fit the map to the page's box when the first area is styled, before any is drawn: the zoom
     * the server guesses (it does not know the container's size) would draw every area once and
     * the browser's fit again, about 0.6 s more at 10,000 areas. */
    function fitFirst(map, h) {
        if (map.__srFitted || !map._loaded) { return; }
        var size = map.getSize();
        if (!size.x || !size.y) { return; }  // a hidden map (compare): fitted when it is shown
        map.__srFitted = true;
        map.fitBounds(h.fit, {padding: h.pad || [16, 16], animate: false});
    }

    function style(feature, context) {
        ensurePatterns();
        var h = effective(context);
        if (context && context.id) {
            latest[context.id] = h;
            if (context.map) { instances[context.id] = context.map; }
        }
        if (h.fit && context && context.map) { fitFirst(context.map, h); }
        var i = feature.properties.i;
        var code = h.codes ? Number(h.codes[i]) : 0;
        var k = h.k || 0;
        var fill = h.colours ? h.colours[code] : "#f2f2f2";
        if (code === k) { fill = "url(#sr-hatch)"; }          // keine Daten
        if (code === k + 1) { fill = "url(#sr-dots)"; }       // Datenschutz
        var selected = h.selected && h.selected.indexOf(String(feature.id)) >= 0;
        var outside = code === k + 2;
        return {
            fillColor: fill, fillOpacity: 1, color: selected ? SELECTED : (outside ? "#ced4da" : "#4d4d4d"),
            weight: selected ? 4.5 : 0.6, opacity: 1, className: selected ? "area-selected" : ""
        };
    }

    function tooltipFor(feature, layerId) {
        var h = latest[layerId] || {};
        var i = feature.properties.i;
        var k = h.k || 0;
        var code = h.codes ? Number(h.codes[i]) : k;
        var box = document.createElement("div");
        var name = document.createElement("strong");
        name.textContent = feature.properties.n || String(feature.id);
        box.appendChild(name);
        var lines = [feature.properties.m || ""];
        if (code === k + 2) {
            lines.push("außerhalb des Kommunenfilters");
        } else if (code === k + 1) {
            lines.push((h.symbol || "•") + " aus Datenschutzgründen nicht ausgewiesen");
        } else if (h.texts && h.texts[i]) {
            lines.push(h.texts[i]);  // a page's own German text per area (the funding map)
        } else if (code === k) {
            lines.push("keine Daten");
        } else {
            lines.push(fmt(h.values[i], h.decimals) + (h.unit ? " " + h.unit : ""));
            var ranked = ranksOf(h);
            if (ranked.ranks[i] !== null && ranked.ranks[i] !== undefined) {
                lines.push("Rang " + ranked.ranks[i] + " von " + ranked.count);
            }
        }
        lines.forEach(function (line) {
            if (!line) { return; }
            var div = document.createElement("div");
            div.textContent = line;
            box.appendChild(div);
        });
        return box;
    }

    /* Need ranks of a style's values (sent without ranks: the browser ranks, assets/ranking.js),
     * computed once per style when a tooltip first asks. */
    var rankCache = new WeakMap();
    function ranksOf(h) {
        if (h.ranks) { return {ranks: h.ranks, count: h.ranked}; }  // a page's own ranks (e.g. the funding map)
        if (h.p === undefined || !h.values || !window.sozialraum.table) { return {ranks: [], count: 0}; }
        var hit = rankCache.get(h);
        if (!hit) {
            var ranks = window.sozialraum.table.needRanks(h.values, h.p);
            hit = {ranks: ranks, count: ranks.filter(function (r) { return r !== null; }).length};
            rankCache.set(h, hit);
        }
        return hit;
    }

    /* One tooltip for the whole GeoJSON group (it reads the hovered layer's feature) instead of one
     * per area: binding 10,000 tooltips cost about a second at the first paint. The group exists
     * only after ``onEachFeature`` (Leaflet adds each layer right after it), hence the timeout. */
    function bindGroupTooltip(layer, layerId) {
        window.setTimeout(function () {
            var parents = layer._eventParents || {};
            Object.keys(parents).forEach(function (key) {
                var group = parents[key];
                if (!group || group.__srTooltip || typeof group.bindTooltip !== "function") { return; }
                group.__srTooltip = true;
                // Leaflet would add focus listeners to every path; the paths are not focusable
                // (the area list and the table are the keyboard's way to the areas).
                group._addFocusListeners = function () {};
                group.bindTooltip(function (hovered) {
                    return tooltipFor((hovered && hovered.feature) || {properties: {}}, layerId);
                }, {sticky: true, direction: "top"});
            });
        }, 0);
    }

    function onEachFeature(feature, layer, context) {
        var layerId = context && context.id;
        if (layerId) {
            var reg = registries[layerId];
            if (!reg || reg.base !== context.hideout) {
                reg = registries[layerId] = {base: context.hideout, override: reg && reg.override, layers: []};
            }
            // Layers of an earlier build were removed (``_map === null``; a new one is undefined
            // until added): drop them once, not on every feature (that was quadratic).
            if (reg.layers.length && reg.layers[0]._map === null) {
                reg.layers = reg.layers.filter(function (l) { return l._map !== null; });
            }
            if (!reg.layers.length) { bindGroupTooltip(layer, layerId); }
            reg.layers.push(layer);
            latest[layerId] = effective(context);
        } else {
            layer.bindTooltip(function () { return tooltipFor(feature, layerId); }, {sticky: true, direction: "top"});
        }
        var h = effective(context);
        if (h.selected && h.selected.indexOf(String(feature.id)) >= 0) {
            window.setTimeout(function () { if (layer._map) { layer.bringToFront(); } }, 0);
        }
    }

    function restyle(layerId, hideout) {
        var reg = registries[layerId];
        if (!hideout) { return false; }
        if (!reg) { reg = registries[layerId] = {base: undefined, override: hideout, layers: []}; }
        reg.override = hideout;
        latest[layerId] = hideout;
        var ctx = {hideout: hideout, id: layerId};
        var chosen = hideout.selected || [];
        reg.layers.forEach(function (layer) {
            if (!layer._map) { return; }
            layer.setStyle(style(layer.feature, ctx));
            if (chosen.indexOf(String(layer.feature.id)) >= 0) { layer.bringToFront(); }
        });
        return true;
    }

    /* A style with ``vd`` carries no values: they are the compact table's numbers per km² (the
     * twin of layouts/atlas_map.density_values). */
    function densityValues(compact, km2) {
        var out = km2.map(function () { return null; });
        var n = 0;
        for (var j = 0; j < compact.k.length; j++) {
            var code = compact.k.charAt(j);
            if (code === "x" || code === "h" || code === "-") { continue; }
            var value = compact.v[n], i = compact.g ? compact.g[j] : j;
            n += 1;
            out[i] = km2[i] > 0 && value !== null && value !== undefined ? Number((value / km2[i]).toFixed(8)) : null;
        }
        return out;
    }

    function withValues(style, compact, km2) {
        if (!style || !style.vd || !compact || !compact.v || !km2) { return style; }
        return Object.assign({}, style, {values: densityValues(compact, km2)});
    }

    /* The legend rows of layouts/atlas_map.legend, as Dash components, from a style's ``legend``. */
    function component(type, props) { return {type: type, namespace: "dash_html_components", props: props}; }

    function legend(styleData) {
        var data = styleData && styleData.legend;
        if (!data) { return window.dash_clientside.no_update; }
        var rows = (data.e || []).map(function (e) {
            var swatch = component("Span", {children: null, className: ("legend-swatch " + (e[3] ? "swatch-" + e[3] : "")).trim(),
                                            style: {backgroundColor: e[1]}, "aria-hidden": "true"});
            return component("Li", {className: "legend-row", children: [
                swatch, component("Span", {children: e[0], className: "legend-label"}),
                component("Span", {children: "(" + e[2] + ")", className: "legend-count"})]});
        });
        var chosen = (styleData.selected || []).length;
        if (chosen) {  // the selection's outline, as in layouts/atlas_map.py ``legend``
            rows.push(component("Li", {className: "legend-row", children: [
                component("Span", {children: null, className: "legend-swatch swatch-selected", "aria-hidden": "true"}),
                component("Span", {children: "ausgewählt", className: "legend-label"}),
                component("Span", {children: "(" + chosen + ")", className: "legend-count"})]}));
        }
        return [component("Div", {children: data.t, className: "legend-title"}),
                component("Div", {children: "Zahl in Klammern: Anzahl Sozialräume", className: "legend-hint"}),
                component("Ul", {children: rows, className: "legend-rows list-unstyled mb-0"})];
    }

    window.sozialraum = Object.assign({}, window.sozialraum, {map: {style: style, onEachFeature: onEachFeature,
                                                                   restyle: restyle, instances: instances,
                                                                   withValues: withValues, densityValues: densityValues,
                                                                   latest: latest, legend: legend}});
})();
