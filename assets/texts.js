/* The atlas texts that follow the indicator (info panel, table headers and title, series title,
 * source line), from the page's table of indicator texts (dashboard/page_texts.py): a switch
 * sends numbers, not prose. ``infoPanel`` is the twin of layouts/atlas.py ``info_panel``. */
(function () {
    "use strict";
    var INDEX_LINK_TEXT = "Feste Klassen des Index; die Klassifikation gilt hier nicht. ";
    var INDEX_LINK_LABEL = "Matrix Status × Dynamik und Gestaltungsbedarfe";
    var last = {indicator: undefined, year: undefined};

    function component(type, props) { return {props: props, type: type, namespace: "dash_html_components"}; }

    function infoPanel(rows, link) {
        var parts = [];
        rows.forEach(function (row) {
            parts.push(component("Dt", {children: row[0]}));
            parts.push(component("Dd", {children: row[1]}));
        });
        var out = [component("Dl", {children: parts, className: "mb-0"})];
        if (link) {
            out.push(component("P", {children: [INDEX_LINK_TEXT, component("A", {children: INDEX_LINK_LABEL, href: link})],
                                     className: "index-info small"}));
        }
        return out;
    }

    function columns(current, t) {
        return (current || []).map(function (c) {
            if (c.field === "value") { return Object.assign({}, c, {headerName: t.vh}); }
            if (c.field === "diff") { return Object.assign({}, c, {headerName: t.dh, hide: t.hd}); }
            return c;
        });
    }

    /* Outputs: info panel, table title, grid columns, series title, source line. */
    function apply(state, texts, currentColumns) {
        var no = window.dash_clientside.no_update;
        var t = state && texts && texts[state.indicator];
        if (!t) { return [no, no, no, no, no]; }
        var newIndicator = state.indicator !== last.indicator;
        var newYear = state.year !== last.year;
        last = {indicator: state.indicator, year: state.year};
        return [
            newIndicator ? infoPanel(t.i, t.l) : no,
            newIndicator || newYear ? "Rangfolge: " + t.t + " " + state.year : no,
            newIndicator ? columns(currentColumns, t) : no,
            newIndicator ? t.st : no,
            newIndicator ? t.c : no
        ];
    }

    window.sozialraum = Object.assign({}, window.sozialraum, {texts: {apply: apply, infoPanel: infoPanel, columns: columns}});
})();
