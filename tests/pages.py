"""Browser pages for the browser tests (one place for the context every test opens)."""
from __future__ import annotations


def fresh_page(browser, base: str, **options):
    """A fixture's body: a page in a new 1600x1000 context (`options` to the context) that
    records every request it makes, `page.base` the app's URL; closed after."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, **options)
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.base = base
    yield pg
    context.close()
