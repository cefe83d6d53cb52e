/* The browser's own parseFloat, parseInt and string trims, put back. Dash loads the Babel
   polyfill (core-js 2) before every other script; its list of white space predates Unicode
   6.3 (it counts U+180E), so it takes each current browser's functions for faulty and puts in
   its own, which run every argument through two regular expressions. Plotly calls them all
   through each redraw: about 20 ms of a click at 200,000 rows here. An inline script kept
   the browser's functions before the polyfill ran (dashboard/app.py, KEEP_NATIVES); this
   file, the first of the app's own to load, puts them back before plotly and Dash run. */
(function () {
    const kept = window.pmdNatives;
    if (!kept) return;
    delete window.pmdNatives;
    const owners = {window: window, Number: Number, "String.prototype": String.prototype};
    Object.entries(kept).forEach(([owner, functions]) => {
        Object.entries(functions).forEach(([name, fn]) => {
            if (typeof fn === "function" && owners[owner][name] !== fn) {
                Object.defineProperty(owners[owner], name,
                                      {value: fn, writable: true, configurable: true});
            }
        });
    });
})();
