/* The atlas's ranking grid and time series, mounted after the map's first paint.
 *
 * The page (layouts/atlas.py) carries both as data (the compact table and series, the same the
 * router sends after a switch) and as components without data (``deferred-parts``). Mounting them
 * together with the map put their grid and plotly work before the map's first frame;
 * here the map paints first, then plotly.js (left out of the atlas's index page) is loaded from
 * the app's own assets and the two components are built from the latest data. */
(function () {
    "use strict";
    var script = document.currentScript;
    var ASSETS = script && script.src ? script.src.replace(/deferred\.js(\?.*)?$/, "") : "/assets/";
    var WAIT_MS = 8000;  // mount anyway if the map never paints (e.g. a bundle without areas)
    var state = {mounted: false, pending: null, latest: null, calls: 0};

    function mapPainted() {
        return document.querySelectorAll("#map .leaflet-overlay-pane path").length > 0;
    }

    /* Resolves once the map's paths exist and the browser has painted a frame with them. */
    function afterMapPaint() {
        return new Promise(function (resolve) {
            var started = Date.now();
            function poll() {
                if (mapPainted() || Date.now() - started > WAIT_MS) {  // this frame paints them
                    window.requestAnimationFrame(function () {
                        window.requestAnimationFrame(function () { window.setTimeout(resolve, 0); });
                    });
                } else {
                    window.requestAnimationFrame(poll);
                }
            }
            poll();
        });
    }

    function loadPlotly(path) {
        if (window.Plotly || !path) { return Promise.resolve(); }
        return new Promise(function (resolve) {
            var tag = document.createElement("script");
            tag.src = ASSETS + path;
            tag.onload = resolve;
            tag.onerror = resolve;  // dcc.Graph then loads its own bundle (also from this server)
            document.head.appendChild(tag);
        });
    }

    function copy(component) { return JSON.parse(JSON.stringify(component)); }

    /* The two components from the latest arguments (a switch before the mount is not lost). */
    function build(args) {
        var parts = args.parts, compact = args.compact, series = args.series, view = args.view;
        var grid = copy(parts.grid);
        var built = window.sozialraum.table.grid(compact, args.shapes, args.mapStyle || args.hideout,
                                                 grid.props.dashGridOptions);
        grid.props.rowData = built[0];
        grid.props.dashGridOptions = built[1];
        var texts = args.texts && view && args.texts[view.indicator];
        if (texts && view.indicator !== parts.indicator) {
            grid.props.columnDefs = window.sozialraum.texts.columns(grid.props.columnDefs, texts);
        }
        var graph = copy(parts.graph);
        if (series && series.L) { graph.props.figure = window.sozialraum.series.figure(series, graph.props.figure); }
        return [grid, graph];
    }

    function mountDeferred(parts, view, compact, series, shapes, hideout, mapStyle, texts) {
        var no = window.dash_clientside.no_update;
        if (state.mounted || !parts) { return [no, no]; }
        var args = {parts: parts, compact: compact, series: series, view: view, shapes: shapes,
                    hideout: hideout, mapStyle: mapStyle, texts: texts};
        var call = ++state.calls;
        if (!state.pending) {
            state.pending = afterMapPaint().then(function () { return loadPlotly(parts.plotly); });
        }
        // Only the latest call mounts (a switch before the mount brings newer data); earlier ones
        // resolve to no_update.
        return state.pending.then(function () {
            if (call !== state.calls || state.mounted) { return [no, no]; }
            state.mounted = true;
            return build(args);
        });
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.sozialraum = Object.assign({}, window.dash_clientside.sozialraum,
                                                      {mountDeferred: mountDeferred});
    window.sozialraum = Object.assign({}, window.sozialraum, {deferred: {isMounted: function () { return state.mounted; }}});
})();
