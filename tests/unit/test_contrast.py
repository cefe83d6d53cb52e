"""Every series stands out from the white at 3:1 or more, by its fill or by its outline
(WCAG 1.4.11 non-text contrast, issue 18), in every chart, frame and view; and the palette
stays colour-blind-safe: the hues are Okabe and Ito's, unchanged (pinned in test_oracle).

The contrast ratio is computed here from WCAG's formula, independently of the app."""
from __future__ import annotations

import pytest

from tests import app_view
from tests.unit.test_oracle import EDGES, GROUP_COLOURS

VIEWS = ["", "group=IS-K,ISPP,BLF,BLA&district=Quetta", "view=compare", "view=targets",
         "view=published", "view=change&from=2024-01-01&to=2024-12-31"]


def ratio(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def listed(value, n):
    return list(value) if isinstance(value, (list, tuple)) else [value] * n


def test_the_issue_fills_fail_alone_and_their_edges_pass():
    for group in ("ISPP", "BLF", "Other", "TTP"):
        fill = GROUP_COLOURS[group]
        assert ratio(fill) < 3 and ratio(EDGES[fill]) >= 4.5, group
    assert ratio(GROUP_COLOURS["IS-K"]) >= 3 and ratio(GROUP_COLOURS["BLA"]) >= 3


@pytest.mark.parametrize("frame", ["briefing", "screen"])
@pytest.mark.parametrize("query", VIEWS)
def test_every_bar_stands_out_by_fill_or_outline(ds, query, frame):
    figs = app_view.figures_for(ds, query, frame=frame)
    for name, fig in figs.items():
        for t in fig.data:
            if t.type != "bar" or t.marker.opacity == 0 or not len(t.x or []):
                continue
            n = len(t.x)
            fills = listed(t.marker.color, n)
            lines = listed(t.marker.line.color, n)
            widths = listed(t.marker.line.width or 0, n)
            for fill, line, width in zip(fills, lines, widths):
                assert ratio(fill) >= 3 or (width and ratio(line) >= 3), (name, t.name, fill)
