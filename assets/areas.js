/* The area picker's options, searched in the browser (no round trip, nothing extra on the wire):
 * the selected areas and the first ``limit`` areas whose label or id contains every word typed.
 * Twin of dashboard/options.area_options: label "Name (Kommune)", order by municipality, name, id. */
(function () {
    "use strict";
    var sorted = new WeakMap();  // GeoJSON object -> its areas as sorted options

    function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

    function allOptions(features) {
        var hit = sorted.get(features);
        if (hit) { return hit; }
        var rows = (features.features || []).map(function (f) {
            var p = f.properties || {};
            var n = String(p.n === undefined ? "" : p.n), m = String(p.m === undefined ? "" : p.m);
            var id = String(f.id);
            return {m: m, n: n, value: id, label: n + " (" + m + ")"};
        });
        rows.sort(function (a, b) { return cmp(a.m, b.m) || cmp(a.n, b.n) || cmp(a.value, b.value); });
        hit = rows.map(function (r) {
            return {label: r.label, value: r.value, key: (r.label + "\u0000" + r.value).toLocaleLowerCase()};
        });
        sorted.set(features, hit);
        return hit;
    }

    function areaOptions(search, value, features, limit) {
        if (!features || !features.features) { return window.dash_clientside.no_update; }
        var chosen = new Set((value || []).map(String));
        var words = String(search || "").toLocaleLowerCase().trim().split(/\s+/).filter(Boolean);
        var out = [], others = 0;
        allOptions(features).forEach(function (o) {
            var keep = chosen.has(o.value);
            if (!keep && others < limit && words.every(function (w) { return o.key.indexOf(w) >= 0; })) {
                keep = true;
                others += 1;
            }
            if (keep) { out.push({label: o.label, value: o.value}); }
        });
        return out;
    }

    window.sozialraum = Object.assign({}, window.sozialraum, {areaOptions: areaOptions});
})();
