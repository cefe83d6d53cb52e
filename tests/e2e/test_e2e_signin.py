"""End-to-end: with DASHBOARD_USERS_FILE set, a person is sent to the sign-in page, a wrong
password is refused, the right one opens the view asked for; no CSP rule is broken."""
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from harness.servers import serving

PASSWORD = "correct horse battery"
VIOLATIONS = """
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', e => window.__csp.push(
        {directive: e.violatedDirective, blocked: e.blockedURI}));
"""


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    path = tmp_path_factory.mktemp("users") / "users.json"
    subprocess.run([sys.executable, "-m", "dashboard", "users", "add", "alice", "--file",
                    str(path)], input=PASSWORD + "\n", text=True, check=True, timeout=60)
    yield from serving(env={"DASHBOARD_USERS_FILE": str(path)})


def test_sign_in_page_then_the_view(browser, guarded):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(VIOLATIONS)
    try:
        page.goto(guarded + "/?group=IS-K")
        assert "/login" in page.url
        page.fill("#username", "alice")
        page.fill("#password", "wrong password")
        page.click("button[type=submit]")
        expect(page.locator(".error")).to_have_text("Wrong name or password.")
        page.fill("#username", "alice")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("#kpi-attacks")).not_to_have_text("–", timeout=20_000)
        assert page.url.endswith("/?group=IS-K")
        assert page.evaluate("window.__csp") == []
        cookie = next(c for c in context.cookies() if c["name"] == "pmd_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    finally:
        context.close()
