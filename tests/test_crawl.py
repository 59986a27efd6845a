"""Every page a role may open is reached by clicking from its home page.

For each role, a crawl starts at the home page and follows only what a user can click: the
links of each page and the actions of its GET forms (sent with the values the form shows).
Every URL pattern the permission matrix lets the role open (200 on GET) must be reached within
MAX_CLICKS clicks; a page that can only be typed fails the test. The World has one object of
each kind the matrix needs, built by the matrix's own builders.
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from periodic.services import start_report
from tests.matrix import World
from tests.test_permission_matrix import ENTRIES, expected

MAX_CLICKS = 4
# Opened by a script or by a program, never by clicking: JSON endpoints that need parameters.
NOT_CLICKED = {
    "leadership:status",  # a generated file's state, polled by static/js/summary.js
    "tasks:timeline_preview",  # the typed timeline resolved, fetched by static/js/tasks.js
}
# Outside the application's own pages: the admin (its own navigation), static files, and the
# same pages in the other language (/en/…), reached through the language switcher.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/en/", "/i18n/")


class Clickable(HTMLParser):
    """The links and GET form submissions of one page."""

    def __init__(self):
        super().__init__()
        self.targets = []
        self.form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.targets.append(attrs["href"])
        elif tag == "form":
            if (attrs.get("method") or "get").lower() == "get":
                self.form = {"action": attrs.get("action") or "", "fields": [], "select": None}
        elif self.form is None:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in (
            "submit", "button", "checkbox", "radio", "file",
        ):
            self.form["fields"].append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select" and attrs.get("name"):
            self.form["select"] = [attrs["name"], None]
        elif tag == "option" and self.form["select"] is not None:
            name, value = self.form["select"]
            if value is None or "selected" in attrs:
                self.form["select"][1] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.form["select"] is not None:
            name, value = self.form["select"]
            self.form["fields"].append((name, value or ""))
            self.form["select"] = None
        elif tag == "form":
            query = urlencode(self.form["fields"])
            self.targets.append(f"{self.form['action']}?{query}" if query else self.form["action"])
            self.form = None


def _links(url, response, skipped=SKIPPED_PREFIXES):
    parser = Clickable()
    parser.feed(response.content.decode())
    for target in parser.targets:
        absolute = urljoin(url, target).split("#", 1)[0]
        parts = urlsplit(absolute)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(skipped):
            continue
        yield absolute


def crawl(client, start="/", skipped=SKIPPED_PREFIXES):
    """{URL name: clicks from the home page} of every page reached within MAX_CLICKS, and
    the set of every URL seen."""
    reached, seen = {}, {start}
    queue = deque([(start, 0)])
    while queue:
        url, clicks = queue.popleft()
        response = client.get(url)
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            name = None
        if response.status_code in (301, 302):
            following = [(response["Location"], clicks)]  # a redirect is not a click
        elif response.status_code == 200:
            if name:
                reached.setdefault(name, clicks)
            html = response.get("Content-Type", "").startswith("text/html")
            if not html or clicks == MAX_CLICKS:
                continue
            following = [(link, clicks + 1) for link in _links(url, response, skipped)]
        else:
            continue
        for link, depth in following:
            if link not in seen:
                seen.add(link)
                queue.append((link, depth))
    return reached, seen


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = World()
    for builder in {entry.kwargs: None for entry in ENTRIES if entry.kwargs}:
        builder(world)
    # The matrix submits the agency's Q1 report; a draft for the first half-year stays open.
    start_report(plan=world.plan, agency=world.own_agency, year=2022, period_code="H1",
                 user=world.users["own"])
    return world


@pytest.mark.parametrize("role", ["coordinator", "leadership", "admin", "own"])
def test_every_page_of_the_role_is_reached_by_clicking(client, world, role):
    client.force_login(world.users[role])
    may_open = {entry.name for entry in ENTRIES if expected(entry, "get", role) == 200}
    reached, _seen = crawl(client)
    assert sorted(may_open - NOT_CLICKED - reached.keys()) == []


@pytest.mark.parametrize("role", ["coordinator", "own"])
def test_english_pages_link_only_english_pages(client, world, role):
    """A link without the /en/ prefix would switch an English reader back to Vietnamese."""
    client.force_login(world.users[role])
    reached, seen = crawl(client, start="/en/", skipped=("/admin/", "/static/", "/i18n/"))
    assert len(reached) > 10
    assert sorted(url for url in seen if not url.startswith("/en/")) == []
