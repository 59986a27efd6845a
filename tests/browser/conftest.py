"""Real-browser journeys: Debian's Chromium driven by Playwright against a live server.

The browser lives for one test module only. Playwright's sync API keeps an asyncio loop
running in the test thread while it is open, which makes Django refuse ORM calls made from
that thread; ``DJANGO_ALLOW_ASYNC_UNSAFE`` is therefore set for the browser tests alone and
the loop is gone before any other module's tests run (also under pytest-xdist).
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from .helpers import log_in  # noqa: F401  (kept importable from here)

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
DESKTOP = {"width": 1280, "height": 900}
# Kinds of request whose URL must be a file of our own /static/ folder.
ASSET_TYPES = {"stylesheet", "script"}
# Auto-waiting assertions wait as long as actions do: a loaded machine (xdist, PostgreSQL)
# may take more than Playwright's default 5 s to answer a form; a failure just waits longer.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser():
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run",
                      "--disable-default-apps", "--disable-extensions"],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded evidence goes to a folder of this test, not to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def open_page(browser, live_server, transactional_db, media_root):
    """Open a tab in a fresh browser context (its own cookies: one user per context).

    Each tab records what a page fetched: ``foreign_requests`` (any URL not on the live
    server), ``assets`` (the (url, kind) of every stylesheet and script requested) and
    ``documents`` (every page loaded, redirects included), ``csp_violations`` (what the
    Content-Security-Policy blocked: an attempt to load or run something not ours, which a
    plain request log does not show) and ``js_errors`` (uncaught exceptions of our scripts).
    """
    contexts = []
    origin = urlsplit(live_server.url)

    def open_(viewport=None):
        context = browser.new_context(
            viewport=viewport or DESKTOP, locale="vi-VN", accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        page.live_server_url = live_server.url
        page.foreign_requests = []
        page.assets = []
        page.documents = []
        page.csp_violations = []
        page.js_errors = []

        def watch(request):
            url = urlsplit(request.url)
            if url.scheme in ("data", "blob", "about"):
                return
            if (url.scheme, url.netloc) != (origin.scheme, origin.netloc):
                page.foreign_requests.append(request.url)
            if request.resource_type in ASSET_TYPES:
                page.assets.append((request.url, request.resource_type))
            elif request.resource_type == "document":
                page.documents.append(request.url)

        def console(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                page.csp_violations.append(message.text)

        page.on("request", watch)
        page.on("console", console)
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        page.set_default_timeout(TIMEOUT_MS)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A fresh desktop-sized tab (see ``open_page``)."""
    return open_page()
