/* Clientside functions (served from this origin, so the strict CSP allows them). */
(function () {
    /* A chart on screen is drawn in its compact frame; its exports keep the briefing frame
       (title, subtitle, footer with lineage and link), which the figure carries in
       layout.meta.briefing. */
    function briefingFigure(gd) {
        const layout = Object.assign({}, gd.layout);
        const patch = (layout.meta && layout.meta.briefing) || {};
        Object.assign(layout, patch);
        delete layout.height;
        delete layout.width;
        layout.autosize = true;
        return {data: gd.data, layout: layout,
                config: {topojsonURL: gd._context && gd._context.topojsonURL}};
    }

    /* The view's file-name part (filters and date), which the render writes beside the
       charts: their config never changes, so plotly never redraws a chart for it. */
    function viewName() {
        const el = document.getElementById("export-name");
        return el && el.textContent ? "_" + el.textContent : "";
    }

    function exportChart(gd, format) {
        const opts = (gd._context && gd._context.toImageButtonOptions) || {};
        const fig = briefingFigure(gd);
        window.pmdLastExport = {format: format, title: fig.layout.title && fig.layout.title.text,
                                annotations: (fig.layout.annotations || []).map(a => a.text)};
        return window.Plotly.downloadImage(fig, {
            format: format, width: opts.width || 1920, height: opts.height || 1080,
            scale: format === "png" ? (opts.scale || 2) : 1,
            filename: (opts.filename || "chart") + viewName(),
        });
    }

    /* The camera button of the toolbar: taken before plotly's own handler, so the PNG is in
       the briefing frame too. */
    document.addEventListener("click", function (ev) {
        const button = ev.target.closest && ev.target.closest(".modebar-btn");
        if (!button || !/^Download plot/.test(button.getAttribute("data-title") || "")) {
            return;
        }
        const gd = button.closest(".js-plotly-plot");
        if (!gd || !window.Plotly) {
            return;
        }
        ev.stopPropagation();
        ev.preventDefault();
        exportChart(gd, "png");
    }, true);

    /* A chart's box is its card's and never changes with the data: a tall chart (a long
       list of categories) has its own height in its figure, and its card scrolls. So a
       resize that dcc.Graph asks for (after every first draw, and when the window or the
       filter panel changes a box's width) finds the chart drawn at its box's width, and at
       its box's height or its own, and is answered at once; a tall chart drawn at another
       width is fitted to its box's width and keeps its own height, and a hidden one is left
       until it shows (plotly's own resize would drop that height and squeeze the chart into
       the card); any other resize is plotly's. */
    function drawnAtSize(gd) {
        const full = gd && gd._fullLayout;
        if (!full || !gd.layout || !gd.isConnected) {
            return false;
        }
        const box = window.getComputedStyle(gd);
        return Math.abs(parseFloat(box.width) - full.width) <= 1 &&
            (!!gd.layout.height || Math.abs(parseFloat(box.height) - full.height) <= 1);
    }

    /* Plotly.react compares the new figure with the drawn one to redraw only what changed,
       but dcc.Graph hands it a deep copy of the layout on every update, and plotly takes a
       new copy of a data array (a category axis's order), of the template or of
       layout.meta for a change: the whole chart is computed and drawn again even when only
       its title or its selection's shapes changed (about 35 ms of a click on the district
       chart at 200,000 rows). So each part of the new figure equal to the drawn one's is
       replaced by the drawn one's own object first (structural sharing), and layout.meta
       (the briefing frame for the exports), which plotly reads only for %{meta} in text
       templates, none of which the app has, is updated in place. */
    function sameJson(a, b) {
        try {
            return JSON.stringify(a) === JSON.stringify(b);
        } catch (err) {  /* not plain data (a cycle): taken as changed */
            return false;
        }
    }

    function shared(drawn, next) {
        if (drawn === next || !drawn || !next || typeof drawn !== "object" ||
            typeof next !== "object" || Array.isArray(drawn) !== Array.isArray(next)) {
            return next;
        }
        if (sameJson(drawn, next)) {
            return drawn;
        }
        if (Array.isArray(next)) {
            return next;
        }
        const out = {};
        Object.keys(next).forEach(key => { out[key] = shared(drawn[key], next[key]); });
        return out;
    }

    function plainObject(value) {
        return !!value && typeof value === "object" && !Array.isArray(value);
    }

    function sharedFigure(gd, figure) {
        if (!gd || !gd._fullLayout || !gd.layout || !plainObject(figure) ||
            !plainObject(figure.layout) || !Array.isArray(figure.data)) {
            return figure;
        }
        const layout = shared(gd.layout, figure.layout);
        const meta = layout.meta;
        if (plainObject(meta) && plainObject(gd.layout.meta) && meta !== gd.layout.meta) {
            Object.keys(gd.layout.meta).forEach(key => { delete gd.layout.meta[key]; });
            layout.meta = Object.assign(gd.layout.meta, meta);
        }
        const data = figure.data.map((trace, i) => shared((gd.data || [])[i], trace));
        return Object.assign({}, figure, {data: data, layout: layout});
    }

    document.addEventListener("DOMContentLoaded", function () {
        const plots = window.Plotly && window.Plotly.Plots;
        if (!plots) {
            return;
        }
        const resize = plots.resize;
        plots.resize = function (gd) {
            const div = typeof gd === "string" ? document.getElementById(gd) : gd;
            if (drawnAtSize(div)) {
                return Promise.resolve(div);
            }
            if (div && div.layout && div.layout.height) {  /* tall: never plotly's resize */
                if (!div.getClientRects().length) {
                    return Promise.resolve(div);  /* hidden (its table shows): fitted when shown */
                }
                /* the box's width, its own height (plotly's autosize would drop the height) */
                const width = parseFloat(window.getComputedStyle(div).width);
                return window.Plotly.relayout(div, {width: width, height: div.layout.height});
            }
            return resize.apply(this, arguments);
        };
        const react = window.Plotly.react;
        window.Plotly.react = function (gd, figure) {
            const div = typeof gd === "string" ? document.getElementById(gd) : gd;
            if (arguments.length !== 2) {  /* (gd, data, layout, config): as it is */
                return react.apply(this, arguments);
            }
            return react.call(this, gd, sharedFigure(div, figure));
        };
    });

    /* A button drawn with a `data-press` attribute (ids.press: a chip's x, a chart table's
       row): pressing it (a click, Enter or Space) sets its store's data, stamped with the
       time, for the view callback. One listener for all of them: a callback on the buttons'
       n_clicks ran, and showed Dash's loading state, each time a click drew new ones. */
    document.addEventListener("click", function (event) {
        const button = event.target instanceof Element && event.target.closest("[data-press]");
        if (!button) {
            return;
        }
        const press = JSON.parse(button.getAttribute("data-press"));
        window.dash_clientside.set_props(press.store, {
            data: Object.assign({}, press.data, {at: Date.now()}),
        });
    });

    /* The table's Sources cell: the row's URLs as numbered links named by their host
       ("1. dawn.com"), opening in a new tab; a row without URLs shows the sources it cites,
       as text. Elements made here, so nothing in a cell is parsed as markup. */
    window.dashAgGridComponentFunctions = Object.assign(
        {}, window.dashAgGridComponentFunctions, {
            SourceLinks: function (props) {
                const React = window.React;
                const urls = Array.isArray(props.value) ? props.value : [];
                if (!urls.length) {
                    return (props.data && props.data.source_text) || "";
                }
                const parts = [];
                urls.forEach(function (url, i) {
                    if (!/^https?:\/\//i.test(url)) {
                        return;  /* checked at load; never a link otherwise */
                    }
                    if (parts.length) {
                        parts.push(" ");
                    }
                    parts.push(React.createElement("a", {
                        key: i, href: url, target: "_blank", rel: "noopener noreferrer",
                    }, (i + 1) + ". " + (url.split("/")[2] || url)));
                });
                return React.createElement(React.Fragment, null, parts);
            },
        });

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        pmd: {
            /* The SVG button under a chart: the same briefing figure as the PNG, as SVG. */
            downloadSvg: function (nClicks) {
                const ctx = window.dash_clientside.callback_context;
                const buttonId = ctx.triggered[0].prop_id.replace(/\.n_clicks$/, "");
                /* The chart is the graph in the button's own card: no copy of the id scheme. */
                const button = document.getElementById(buttonId);
                const card = button && button.closest(".chart-card");
                const gd = card && card.querySelector(".js-plotly-plot");
                if (!gd || !window.Plotly) {
                    return window.dash_clientside.no_update;
                }
                exportChart(gd, "svg");
                return "SVG downloaded (" + nClicks + ")";
            },
            /* A tab's body is built the first time its tab opens, and kept (layout.py). */
            openTabBody: function (active, values, ids) {
                return ids.map((id, i) => values[i] || (id.tab === active ? id.tab : ""));
            },
            /* The filter panel opens and closes; the charts refit to the space. */
            toggleFilters: function (nClicks, className) {
                const hidden = !/filters-hidden/.test(className || "");
                window.setTimeout(function () {
                    window.dispatchEvent(new Event("resize"));
                }, 50);
                return [hidden ? "page-body filters-hidden" : "page-body",
                        hidden ? "Show filters" : "Hide filters"];
            },
            /* A callback's answer (Dash's request_post hook, dashboard/app.py): a grid's
               rows sent as columns and values (pandas' "split" orientation, the field names
               once) become the grid's records, a null left out (an unknown count shows as
               'unknown', a row without URLs has its cited sources as text). */
            gridRecords: function (response) {
                Object.values(response || {}).forEach(function (props) {
                    const sent = props && props.rowData;
                    if (sent && !Array.isArray(sent) && Array.isArray(sent.columns)) {
                        props.rowData = sent.data.map(function (values) {
                            const row = {};
                            sent.columns.forEach(function (column, i) {
                                if (values[i] !== null) {
                                    row[column] = values[i];
                                }
                            });
                            return row;
                        });
                    }
                });
            },
            toggleOpen: function (nClicks, isOpen) {
                return !isOpen;
            },
        },
    });
})();
