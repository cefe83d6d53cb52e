"""What the callbacks share: the page's address for the view links."""
from __future__ import annotations

import flask


def base_url() -> str:
    """The address the page was served from, for the view links in figure footers."""
    try:
        return flask.request.host_url.rstrip("/")
    except RuntimeError:  # outside a request
        return ""
