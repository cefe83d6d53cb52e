/* Accessibility repairs of third-party components' markup (Dash 4's dropdown and date
   picker, dash-bootstrap-components' tabs), applied whenever they render, so the page passes
   axe-core's serious and critical rules (tests/e2e/test_a11y.py):
   - the date picker's wrapper carries aria-expanded, which a plain div may not: dropped (its
     popup button keeps its own state);
   - the date picker's clear link (<a> without href) has an aria-label but no role: made a
     button, reachable by Tab, Enter clears;
   - the dropdown's focus-target input is aria-hidden yet in the tab order: taken out of it,
     and the dropdown's own button (Enter or Space opens it) put in;
   - every tab has tabindex -1, so no tab is reachable by Tab: each is put in the tab order
     (Enter opens it);
   - the tabs' aria-controls name panes that do not exist: pointed at the open pane. */
(function () {
    function repair(root) {
        root.querySelectorAll(".dash-datepicker-wrapper[aria-expanded], [id$='-wrapper'][aria-expanded]")
            .forEach(el => { if (!el.getAttribute("role")) el.removeAttribute("aria-expanded"); });
        root.querySelectorAll("a.dash-datepicker-clear:not([role])").forEach(el => {
            el.setAttribute("role", "button");
            el.setAttribute("tabindex", "0");
            el.addEventListener("keydown", ev => {
                if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); el.click(); }
            });
        });
        root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']").forEach(el => {
            if (el.getAttribute("tabindex") !== "-1") el.setAttribute("tabindex", "-1");
            const button = el.parentElement && el.parentElement.querySelector("button.dash-dropdown");
            if (button && button.getAttribute("tabindex") !== "0") button.setAttribute("tabindex", "0");
        });
        root.querySelectorAll("[role='tab'][tabindex='-1']").forEach(
            tab => tab.setAttribute("tabindex", "0"));
        root.querySelectorAll("[role='tab'][aria-controls]").forEach(tab => {
            const id = tab.getAttribute("aria-controls");
            if (document.getElementById(id)) return;
            const pane = document.querySelector(".tab-content > .tab-pane.active");
            if (pane && !pane.id) pane.id = "view-pane";
            if (pane) tab.setAttribute("aria-controls", pane.id); else tab.removeAttribute("aria-controls");
        });
    }
    let queued = false;
    const observer = new MutationObserver(() => {
        if (queued) return;
        queued = true;
        requestAnimationFrame(() => { queued = false; repair(document); });
    });
    function start() {
        repair(document);
        observer.observe(document.body, {childList: true, subtree: true, attributes: true,
                                         attributeFilter: ["aria-expanded", "aria-controls",
                                                           "aria-hidden", "tabindex"]});
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
})();
/* A chart card's Table toggle: the chart's numbers in place of the chart, and back. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    a11y: {
        toggleTable: function (n) {
            const table = n % 2 === 1;
            const ctx = window.dash_clientside.callback_context;
            const chart = ctx && ctx.triggered_id && ctx.triggered_id.chart;
            if (table && chart) {  // the keyboard goes on into the table's rows, once the
                let tries = 0;     // server has filled the table (a round trip)
                const focusFirst = () => {
                    const box = [...document.querySelectorAll(".chart-table")].find(
                        el => el.id.includes('"chart":"' + chart + '"'));
                    const first = box && box.querySelector("button");
                    if (first) first.focus();
                    else if (++tries < 100) setTimeout(focusFirst, 50);
                };
                setTimeout(focusFirst, 50);
            }
            return [!table, table, table ? "Chart" : "Table"];
        },
    },
});
