"""Text widths in the charts' first font, for margins set on the server (issue 13).

Plotly's `automargin` measures every tick label in the browser and grows the margin to fit;
on a bar chart of 30 districts that measuring is about half of each redraw. A screen chart
whose y-axis labels are measured here gets its left margin set and automargin off instead.
The font is the first of the charts' stack (DejaVu Sans), the widest of it, so a browser that
falls back to Liberation Sans or Arial draws narrower labels in the same margin. A server
without that font file measures nothing and the charts keep automargin.
"""
from __future__ import annotations

from functools import lru_cache

from PIL import ImageFont

FONT_FILE = "DejaVuSans.ttf"  # the first family of figures.FONT


@lru_cache(maxsize=None)
def _font(size: int):
    try:
        return ImageFont.truetype(FONT_FILE, size)
    except OSError:  # not installed here
        return None


def width(texts, size: int) -> float | None:
    """The widest of `texts` in px at font size `size` px; None where the font is missing."""
    font = _font(size)
    if font is None:
        return None
    return max((font.getlength(str(t)) for t in texts), default=0.0)
