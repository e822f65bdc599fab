/*
 * Choropleth styling for dash-leaflet's GeoJSON layer, driven only by its `hideout` prop.
 *
 * Python refers to these functions by name, e.g.
 *   dl.GeoJSON(style={"variable": "sozialraum.map.style"},
 *              onEachFeature={"variable": "sozialraum.map.onEachFeature"},
 *              filter={"variable": "sozialraum.map.filter"},
 *              hoverStyle={"variable": "sozialraum.map.hover"}, hideout={...})
 * dash-leaflet (dash-extensions' javascript resolver) looks the dotted name up on `window` and calls
 * the function with the Leaflet arguments plus a last `context` = {map, ...props of the GeoJSON}.
 *
 * hideout (every key optional; "per feature" = an array indexed by feature.properties.i, which
 * the builder adds, or an object keyed by area id):
 *   palette + classes   compact colours: class index per feature into the palette (null: no data)
 *   fill      colours per feature (instead of palette + classes); missing/null means "keine Daten"
 *   hidden    area ids suppressed for data protection: diagonal hatch (also alias `hatch`)
 *   nodata    area ids without a value: dotted pattern (also every area without a fill colour)
 *   selected  area ids drawn with a thick dark outline (fill colour unchanged)
 *   labels    tooltip text per feature; plain text, escaped here, "\n" becomes a line break
 *   values + format     instead of labels: the value per feature (null when hidden or missing) and
 *             {decimals, unit, hidden, nodata} texts; the tooltip is the feature's `area_name`
 *             (or format.nameKey) and the value formatted in German (12,3 %; 1.234)
 *   only      area ids to draw (null/missing: all), e.g. one municipality
 *   key       the id property of the features (default "area_id")
 * A changed hideout makes dash-leaflet rebuild the layer (clearLayers + addData), so every
 * function here must be cheap per feature: id lists become Sets once per hideout object.
 * Patterns need Leaflet's SVG renderer (the default; not preferCanvas), because the fill is an
 * SVG paint reference `url(#…)` so hidden and missing areas never depend on colour alone.
 */
(function () {
    "use strict";
    const ns = (window.sozialraum = window.sozialraum || {});
    const HATCH = "sozialraum-hatch";
    const DOTS = "sozialraum-dots";
    const cache = new WeakMap();

    function ensurePatterns() {
        if (document.getElementById(HATCH)) {
            return;
        }
        const svgNS = "http://www.w3.org/2000/svg";
        const svg = document.createElementNS(svgNS, "svg");
        svg.setAttribute("width", "0");
        svg.setAttribute("height", "0");
        svg.setAttribute("aria-hidden", "true");
        svg.setAttribute("focusable", "false");
        svg.style.position = "absolute";
        svg.innerHTML =
            '<defs>' +
            '<pattern id="' + HATCH + '" patternUnits="userSpaceOnUse" width="7" height="7" ' +
            'patternTransform="rotate(45)">' +
            '<rect width="7" height="7" fill="#ffffff"/>' +
            '<line x1="0" y1="0" x2="0" y2="7" stroke="#6b6b6b" stroke-width="2.2"/></pattern>' +
            '<pattern id="' + DOTS + '" patternUnits="userSpaceOnUse" width="6" height="6">' +
            '<rect width="6" height="6" fill="#ffffff"/>' +
            '<circle cx="3" cy="3" r="1.1" fill="#8a8a8a"/></pattern>' +
            '</defs>';
        document.body.appendChild(svg);
    }

    function toSet(list) {
        return new Set(Array.isArray(list) ? list.map(String) : []);
    }

    /* Sets and lookups derived from one hideout object, computed once. */
    function prepared(hideout) {
        const h = hideout && typeof hideout === "object" ? hideout : {};
        let p = cache.get(h);
        if (!p) {
            const hidden = toSet(h.hidden);
            for (const id of toSet(h.hatch)) {
                hidden.add(id);
            }
            p = {
                h: h,
                key: h.key || "area_id",
                hidden: hidden,
                nodata: toSet(h.nodata),
                selected: toSet(h.selected),
                only: Array.isArray(h.only) ? toSet(h.only) : null,
            };
            cache.set(h, p);
        }
        return p;
    }

    function lookup(table, feature, id) {
        if (!table) {
            return undefined;
        }
        if (Array.isArray(table)) {
            const i = feature.properties ? feature.properties.i : undefined;
            return i === undefined ? undefined : table[i];
        }
        return table[id];
    }

    function featureId(p, feature) {
        return String(feature.properties ? feature.properties[p.key] : "");
    }

    function escapeHtml(text) {
        return String(text)
            .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
            .replace(/"/g, "&quot;").replace(/'/g, "&#39;")
            .replace(/\n/g, "<br>");
    }

    function fillOf(p, feature, id) {
        if (p.h.palette && p.h.classes) {
            const k = lookup(p.h.classes, feature, id);
            return k === undefined || k === null ? undefined : p.h.palette[k];
        }
        return lookup(p.h.fill, feature, id);
    }

    function formatter(p) {
        if (!p.fmt) {
            const f = p.h.format || {};
            const d = Number.isInteger(f.decimals) ? f.decimals : 1;
            p.fmt = new Intl.NumberFormat("de-DE", {minimumFractionDigits: d, maximumFractionDigits: d});
        }
        return p.fmt;
    }

    /* Tooltip text: hideout.labels, else name + formatted value (hidden/no-data texts). */
    function labelOf(p, feature, id) {
        const label = lookup(p.h.labels, feature, id);
        if (label !== undefined || !p.h.values) {
            return label;
        }
        const f = p.h.format || {};
        const name = feature.properties ? feature.properties[f.nameKey || "area_name"] : "";
        let text;
        if (p.hidden.has(id)) {
            text = f.hidden || "aus Datenschutzgründen nicht ausgewiesen";
        } else {
            const v = lookup(p.h.values, feature, id);
            text = v === undefined || v === null ? (f.nodata || "keine Daten")
                : formatter(p).format(v) + (f.unit ? "\u00a0" + f.unit : "");
        }
        return (name ? name + "\n" : "") + text;
    }

    /** Path options of one feature (Leaflet `style`). */
    function style(feature, context) {
        ensurePatterns();
        const p = prepared(context && context.hideout);
        const id = featureId(p, feature);
        const fill = fillOf(p, feature, id);
        const out = {
            stroke: true, color: "#ffffff", weight: 0.8, opacity: 1,
            fill: true, fillOpacity: 1, fillColor: fill,
        };
        if (p.hidden.has(id)) {
            out.fillColor = "url(#" + HATCH + ")";
            out.color = "#6b6b6b";
        } else if (p.nodata.has(id) || fill === undefined || fill === null || fill === "") {
            out.fillColor = "url(#" + DOTS + ")";
            out.color = "#8a8a8a";
            out.dashArray = "3 2";
        }
        if (p.selected.has(id)) {
            out.color = "#111111";
            out.weight = 3;
            out.dashArray = null;
        }
        return out;
    }

    /** Tooltip from hideout.labels (built lazily on hover); selected areas stay on top. */
    function onEachFeature(feature, layer, context) {
        const p = prepared(context && context.hideout);
        const id = featureId(p, feature);
        const label = labelOf(p, feature, id);
        if (label !== undefined && label !== null && label !== "") {
            layer.bindTooltip(function () { return escapeHtml(label); }, {sticky: true, direction: "top"});
        }
        if (p.selected.has(id)) {
            layer.on("add", function () { layer.bringToFront(); });
        }
    }

    /** Which features are drawn at all (hideout.only). */
    function filter(feature, context) {
        const p = prepared(context && context.hideout);
        return p.only === null || p.only.has(featureId(p, feature));
    }

    /** Hover: a darker, thicker outline, colours unchanged. */
    function hover() {
        return {weight: 2.5, color: "#333333", dashArray: null};
    }

    ns.map = {style: style, onEachFeature: onEachFeature, filter: filter, hover: hover,
              escapeHtml: escapeHtml, label: function (feature, hideout) {
                  const p = prepared(hideout);
                  return labelOf(p, feature, featureId(p, feature));
              }, HATCH: HATCH, DOTS: DOTS};
})();
