/* Clientside callbacks of the Sozialraum-Monitor (no network access, no external library). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    sozialraum: {
        copyLink: function (n) {
            if (!n) { return window.dash_clientside.no_update; }
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
            return "Link kopiert";
        },
        downloadSvg: function (n, graphId) {
            if (!n) { return window.dash_clientside.no_update; }
            var host = document.getElementById(graphId);
            var gd = host && (host.classList.contains("js-plotly-plot") ? host : host.querySelector(".js-plotly-plot"));
            if (!gd || !window.Plotly) { return "SVG nicht verfügbar"; }
            window.Plotly.downloadImage(gd, {format: "svg", width: 1920, height: 1080, filename: graphId});
            return "SVG erstellt";
        }
    }
});
