/* The ranking grid's rows from the compact table payload (dashboard/ranking.py compact_table):
 * names come from the map's GeoJSON, number texts from Intl.NumberFormat('de-DE'). The Python
 * twin is dashboard.ranking.expand_table; both must give the rows of table_rows exactly. */
(function () {
    "use strict";
    /* German number text exactly like Python's f"{x:,.{d}f}" (dashboard.formatting.format_number):
     * rounding of the exact binary value, ties (exact dyadic halves) to even. Intl.NumberFormat
     * rounds the shortest decimal form instead (38.15 -> "38,2", Python "38,1"), so toFixed is used. */
    function fixed(value, d) {
        var t = value * Math.pow(2, d + 1);
        if (Number.isInteger(t) && t % 2 !== 0) {           // an exact tie: round half to even
            var scaled = Math.abs(value) * Math.pow(10, d);  // exact for these small dyadic values
            var n = Math.floor(scaled);
            if (n % 2 !== 0) { n += 1; }
            var digits = String(n);
            while (digits.length <= d) { digits = "0" + digits; }
            var text = d ? digits.slice(0, digits.length - d) + "." + digits.slice(digits.length - d) : digits;
            return (value < 0 ? "-" : "") + text;
        }
        return value.toFixed(d);
    }

    function formatNumber(value, decimals) {
        if (value === null || value === undefined || isNaN(value)) { return "–"; }
        var d = Math.max(decimals, 0);
        var raw = fixed(value, d);
        var sign = raw.charAt(0) === "-" ? "-" : "";
        var parts = (sign ? raw.slice(1) : raw).split(".");
        var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
        var text = sign + whole + (parts.length > 1 ? "," + parts[1] : "");
        if (sign && /^[0,.]*$/.test(text.slice(1))) { text = text.slice(1); }  // no "-0,0"
        return text.replace("-", "\u2212");
    }

    function formatSigned(value, unit, decimals) {
        var text = formatNumber(value, decimals);
        if (text === "–") { return text; }
        var zero = /^[0,.]*$/.test(text);
        if (text.charAt(0) !== "\u2212" && !zero) { text = "+" + text; } else if (zero) { text = "\u00b1" + text; }
        return (text + " " + (unit || "")).replace(/\s+$/, "");
    }

    function round8(x) { return Number(x.toFixed(8)); }
    var HIDDEN_TEXT = "aus Datenschutzgründen nicht ausgewiesen";  // dashboard.texts.HIDDEN_TEXT
    var REGION_ID = "__region__";  // dashboard.aggregate.REGION_ID

    /* The pinned reference rows from a compact table's ``ref`` (dashboard.ranking.expand_reference). */
    function reference(compact) {
        var refs = (compact && compact.ref) || [];
        var regionValue = null;
        refs.forEach(function (r) { if (r[0] === REGION_ID) { regionValue = r[3]; } });
        return refs.map(function (r) {
            var unit = r[0], value = r[3], hidden = !!r[4];
            var region = unit === REGION_ID || compact.c;
            var diff = hidden || region || value === null || regionValue === null ? null : round8(value - regionValue);
            var row = {unit_id: unit, rank: null, name: r[1], municipality: r[2], value: hidden ? null : value,
                       value_text: hidden ? compact.s : formatNumber(value, compact.d), diff: diff,
                       diff_text: region ? "" : (hidden ? compact.s : formatSigned(diff, compact.u, compact.d)),
                       class_no: null, class_label: "", hidden: hidden, selected: false, reference: true};
            if (hidden) { row.tip = HIDDEN_TEXT; }
            return row;
        });
    }

    /* Grid rows and options (with the pinned reference rows) of a switch. */
    function grid(compact, geojson, mapStyle, options) {
        return [rows(compact, geojson, mapStyle),
                Object.assign({}, options || {}, {pinnedTopRowData: reference(compact)})];
    }

    /* dashboard.tables.need_ranks: rank 1 = most need (highest value, lowest for polarity -1);
     * ties share the lower rank ("min"); null gets no rank. */
    function needRanks(values, polarity) {
        var order = [];
        values.forEach(function (v, i) { if (v !== null && v !== undefined && !isNaN(v)) { order.push(i); } });
        order.sort(function (a, b) { return polarity === -1 ? values[a] - values[b] : values[b] - values[a]; });
        var ranks = values.map(function () { return null; });
        order.forEach(function (i, pos) {
            var prev = pos > 0 ? order[pos - 1] : -1;
            ranks[i] = prev >= 0 && values[prev] === values[i] ? ranks[prev] : pos + 1;
        });
        return ranks;
    }

    /* The numbers of a compact table: its own ``v`` or the map style's values (dashboard.ranking.compact_values). */
    function numbers(compact, mapStyle) {
        if (!compact.vm) { return compact.v; }
        var values = (mapStyle && mapStyle.values) || [];
        var out = [];
        for (var j = 0; j < compact.k.length; j++) {
            var code = compact.k.charAt(j);
            if (code !== "x" && code !== "h" && code !== "-") { out.push(values[compact.g ? compact.g[j] : j]); }
        }
        return out;
    }

    function rows(compact, geojson, mapStyle) {
        if (!compact || !compact.k) { return []; }
        var vals = numbers(compact, mapStyle);
        var labels = compact.Lm ? ((mapStyle && mapStyle.legend && mapStyle.legend.e) || []).map(function (e) { return e[0]; })
            : compact.L;
        var ranks = needRanks(vals, compact.p);
        var features = (geojson && geojson.features) || [];
        var byIndex = [];
        features.forEach(function (f) { byIndex[f.properties.i] = f; });
        var out = [];
        var n = 0;
        var selected = {};
        (compact.sel || []).forEach(function (a) { selected[a] = true; });
        for (var j = 0; j < compact.k.length; j++) {
            var code = compact.k.charAt(j);
            if (code === "x") { continue; }
            var f = byIndex[compact.g ? compact.g[j] : j];
            if (!f) { continue; }
            var row = {unit_id: String(f.id), rank: null, name: f.properties.n, municipality: f.properties.m};
            if (code === "h") {
                row.value = null; row.value_text = compact.s; row.diff = null; row.diff_text = compact.s;
                row.class_no = null; row.class_label = ""; row.hidden = true; row.tip = HIDDEN_TEXT;
            } else if (code === "-") {
                row.value = null; row.value_text = "–"; row.diff = null; row.diff_text = compact.c ? "" : "–";
                row.class_no = null; row.class_label = ""; row.hidden = false;
            } else {
                var value = vals[n];
                row.rank = ranks[n];
                n += 1;
                var diff = compact.c || compact.R === null ? null : round8(value - compact.R);
                var c = parseInt(code, 10);
                row.value = value; row.value_text = formatNumber(value, compact.d); row.diff = diff;
                row.diff_text = compact.c ? "" : formatSigned(diff, compact.u, compact.d);
                row.class_no = c || null; row.class_label = c ? c + ": " + labels[c - 1] : ""; row.hidden = false;
            }
            if (selected[row.unit_id]) { row.selected = true; }
            out.push(row);
        }
        // table_rows' order: ranked by rank, then missing, then hidden; ties by name (stable sort).
        var group = function (r) { return r.hidden ? 2 : (r.value === null ? 1 : 0); };
        out.sort(function (a, b) {
            var ga = group(a), gb = group(b);
            if (ga !== gb) { return ga - gb; }
            var ra = a.rank === null ? Infinity : a.rank, rb = b.rank === null ? Infinity : b.rank;
            if (ra !== rb) { return ra < rb ? -1 : 1; }
            return a.name < b.name ? -1 : (a.name > b.name ? 1 : 0);
        });
        return out;
    }

    window.sozialraum = Object.assign({}, window.sozialraum, {table: {rows: rows, reference: reference, grid: grid, formatNumber: formatNumber,
                                                                     formatSigned: formatSigned, needRanks: needRanks}});
})();
