"""The page as served: its scripts, in the order the browser runs them."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def page_scripts(app) -> list[str]:
    html = app.server.test_client().get("/").get_data(as_text=True)
    return [src.split("?")[0] for src in re.findall(r'<script[^>]* src="([^"]+)"', html)]


def test_the_page_has_no_babel_polyfill_and_its_regenerator_comes_first(app):
    """Dash's polyfill bundle is left out; the one part of it Dash's renderer and dcc call,
    the global regeneratorRuntime, is an asset that runs before them."""
    scripts = page_scripts(app)
    names = [s.rsplit("/", 1)[-1] for s in scripts]
    assert not [s for s in scripts if "polyfill" in s], scripts
    runtime = scripts.index("/assets/vendor/regenerator-runtime.js")
    renderer = next(i for i, n in enumerate(names) if n.startswith("dash_renderer"))
    dcc = next(i for i, n in enumerate(names) if n.startswith("dash_core_components."))
    assert runtime < renderer < dcc
    assert any(n.startswith("react@") for n in names)  # Dash's own scripts are all there
    served = app.server.test_client().get("/assets/vendor/regenerator-runtime.js")
    assert served.status_code == 200 and b"regeneratorRuntime = runtime" in served.data
    assert "MIT" in (ROOT / "assets" / "vendor" / "LICENSE-regenerator-runtime.txt").read_text()
