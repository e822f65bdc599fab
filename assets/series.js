/* The time-series figure from the compact payload (dashboard/charts/series_chart.py
 * compact_series): the twin of expand_series / series_figure on screen. The constant parts of the
 * layout (font, legend, margins) come from the figure already on the page. */
(function () {
    "use strict";
    var AREA_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];
    var MUNICIPALITY_DASHES = ["dash", "dot", "dashdot", "longdash", "longdashdot"];
    var AREA_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"];
    var NO_DATA_TEXT = "keine Daten";

    function escape(text) {  // dashboard.formatting.plotly_text
        return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }

    function valueText(v, unit, decimals) {  // dashboard.formatting.format_value
        var text = window.sozialraum.table.formatNumber(v, decimals);
        return text === "–" || !unit ? text : text + " " + unit;
    }

    function traces(compact) {
        var areaI = 0, muniI = 0;
        return compact.L.map(function (line) {
            var kind = line[0], style, marker;
            if (kind === "a") {
                style = {color: AREA_COLOURS[areaI % AREA_COLOURS.length], width: 2.5};
                marker = {symbol: AREA_SYMBOLS[areaI % AREA_SYMBOLS.length], size: 7};
                areaI += 1;
            } else if (kind === "m") {
                style = {color: "#6c757d", width: 2, dash: MUNICIPALITY_DASHES[muniI % MUNICIPALITY_DASHES.length]};
                marker = {size: 6};
                muniI += 1;
            } else {
                style = {color: "#212529", width: 3.5};
                marker = {size: 6};
            }
            var values = line[2];
            return {
                type: "scatter", x: compact.x.slice(), y: values.map(function (v) { return v === "h" ? null : v; }),
                text: values.map(function (v) {
                    return escape(v === "h" ? compact.h : (v === null ? NO_DATA_TEXT : valueText(v, compact.u, compact.d)));
                }),
                name: escape(line[1]), mode: "lines+markers", line: style, marker: marker, connectgaps: false,
                hovertemplate: "%{fullData.name}<br>%{x}: %{text}<extra></extra>"
            };
        });
    }

    function figure(compact, current) {
        if (!compact || !compact.L) { return window.dash_clientside.no_update; }
        var base = (current && current.layout) || {};
        var years = compact.x;
        var step = years.length <= 6 ? 1 : 2;  // a narrow panel labels every other year, upright
        var ticks = years.slice().reverse().filter(function (_, i) { return i % step === 0; }).reverse();
        var layout = Object.assign({}, base, {
            xaxis: Object.assign({}, base.xaxis, {tickmode: "array", tickvals: ticks,
                                                   ticktext: ticks.map(String), tickangle: 0}),
            yaxis: Object.assign({}, base.yaxis, {title: {text: escape(compact.a) || "Wert"}}),
            shapes: compact.yr === null || compact.yr === undefined ? [] : [{
                type: "line", x0: compact.yr, x1: compact.yr, xref: "x", y0: 0, y1: 1, yref: "paper",
                line: {color: "#adb5bd", width: 1, dash: "dot"}}]
        });
        return {data: traces(compact), layout: layout};
    }

    window.sozialraum = Object.assign({}, window.sozialraum, {series: {figure: figure}});
})();
