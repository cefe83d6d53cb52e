"""End-to-end: the briefing pack as a background job in the browser. The status line counts
'N of M' while it runs, Cancel stops it, a later pack still arrives, and the polling breaks
no Content-Security-Policy rule."""
import re

from playwright.sync_api import expect

VIOLATIONS = """
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', e => window.__csp.push(
        {directive: e.violatedDirective, blocked: e.blockedURI}));
"""


def test_pack_progress_cancel_and_csp(page):
    page.add_init_script(VIOLATIONS)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(page.base + "/?group=IS-K")
    expect(page.locator("#kpi-attacks")).not_to_have_text("–", timeout=20_000)
    status, button, cancel = (page.locator(f"#{i}") for i in
                              ("export-status", "export-pack", "export-cancel"))
    expect(cancel).to_be_disabled()
    button.click()
    expect(status).to_have_text(re.compile(r"^Rendering charts: \d+ of 11$"), timeout=30_000)
    expect(button).to_be_disabled()
    expect(cancel).to_be_enabled()
    cancel.click()
    expect(status).to_have_text("Pack cancelled.", timeout=10_000)
    expect(button).to_be_enabled(timeout=10_000)
    expect(cancel).to_be_disabled()
    with page.expect_download(timeout=90_000) as download:
        button.click()
    assert download.value.suggested_filename.startswith("briefing_group-IS-K_")
    expect(status).to_contain_text("Downloaded briefing_group-IS-K_")
    assert page.evaluate("window.__csp") == []
    assert [e for e in errors if "Content Security Policy" in e] == []
