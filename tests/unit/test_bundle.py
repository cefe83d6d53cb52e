"""The partial plotly.js bundle (assets/plotly/) holds every trace type the charts draw."""
import re
from pathlib import Path

from dashboard.aggregate import View
from dashboard.charts import CHARTS
from dashboard.filters import Filters, ViewState

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "scripts" / "plotly-bundle" / "entry.js"
BUNDLE = ROOT / "assets" / "plotly"


def bundled_traces() -> set[str]:
    """The trace modules the bundle registers, read from its entry (plotly's core: scatter)."""
    return set(re.findall(r'require\("plotly\.js/lib/(\w+)"\)', ENTRY.read_text())) - {"core"} \
        | {"scatter"}


def test_every_chart_draws_only_bundled_trace_types(ds):
    drawn = set()
    for f in (Filters(), Filters(district=("Quetta",)), Filters(group=("BLA",))):
        view = View(ds, ViewState(f))
        for chart in CHARTS:
            for frame in ("screen", "briefing"):
                drawn |= {t.type for t in chart.figure(view, "", frame=frame).data}
    assert drawn and drawn <= bundled_traces(), drawn - bundled_traces()


def test_bundle_is_built_with_its_licences():
    js = (BUNDLE / "plotly-partial.min.js").read_text(encoding="utf-8")
    assert len(js) < 2_000_000  # the full bundle is 4.8 MB
    assert "MIT" in (BUNDLE / "LICENSE-plotly.js.txt").read_text()
    assert (BUNDLE / "plotly-partial.min.js.LEGAL.txt").exists()
    assert not list(BUNDLE.glob("*.css"))  # no stylesheet Dash would load with the page
    pinned = (ROOT / "scripts" / "plotly-bundle" / "package.json").read_text()
    assert re.search(r'"plotly\.js": "\d+\.\d+\.\d+"', pinned)  # an exact version
