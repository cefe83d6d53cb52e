/* Clientside functions (served from this origin, so the strict CSP allows them). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    pmd: {
        /* The SVG button under a chart: the same figure, as SVG, named like the PNG. */
        downloadSvg: function (nClicks) {
            const ctx = window.dash_clientside.callback_context;
            const buttonId = ctx.triggered[0].prop_id.replace(/\.n_clicks$/, "");
            const chart = JSON.parse(buttonId).chart;
            /* The chart is the graph in the button's own card: no copy of the id scheme. */
            const button = document.getElementById(buttonId);
            const card = button && button.closest(".card");
            const gd = card && card.querySelector(".js-plotly-plot");
            if (!gd || !window.Plotly) {
                return window.dash_clientside.no_update;
            }
            const png = (gd._context && gd._context.toImageButtonOptions) || {};
            window.Plotly.downloadImage(gd, {
                format: "svg", width: png.width || 1920, height: png.height || 1080,
                filename: png.filename || chart,
            });
            return "SVG downloaded (" + nClicks + ")";
        },
    },
});
