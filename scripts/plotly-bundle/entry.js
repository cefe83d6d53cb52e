/* The trace types the dashboard draws (dashboard/figures.py): bar charts, the district
   choropleth, and scattergeo for the maps' borders and labels. Plotly's core holds scatter.
   tests/unit/test_bundle.py checks every figure's traces against this list. */
var Plotly = require("plotly.js/lib/core");

Plotly.register([
    require("plotly.js/lib/bar"),
    require("plotly.js/lib/choropleth"),
    require("plotly.js/lib/scattergeo"),
]);

module.exports = Plotly;
