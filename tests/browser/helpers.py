"""What the browser journeys do and check on every page, whatever the page."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

PHONE = {"width": 360, "height": 800}

# axe-core from the npm registry (package.json; `make test` runs `npm ci`), never a CDN.
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes:
  ["violations"]}).then(result => result.violations.map(v => ({id: v.id, impact: v.impact,
  help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": "
  + n.failureSummary.replace(/\\s+/g, " ").slice(0, 300))})))"""

# The page's own stylesheets and scripts, as the DOM names them (after any redirect).
DOM_ASSETS = """() => ({
  stylesheets: Array.from(document.querySelectorAll('link[rel~="stylesheet"]'), l => l.href),
  scripts: Array.from(document.querySelectorAll('script[src]'), s => s.src),
  inlineScripts: document.querySelectorAll('script:not([src])').length,
})"""

# Elements sticking out past the right edge of the viewport, outermost first.
OVERFLOWING = """(width) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      const parent = el.parentElement;
      if (!parent || parent.getBoundingClientRect().right <= width + 1) {
        const id = el.id ? '#' + el.id : '';
        const cls = el.className && typeof el.className === 'string'
          ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
        out.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(box.right)}px)`);
      }
    }
  }
  return out.slice(0, 10);
}"""


def log_in(page, live_server, username, password="demo12345"):
    """Log in through the login form; returns once the user's first page has loaded."""
    login_url = f"{live_server.url}/accounts/login/"
    page.goto(login_url)
    assert_self_contained(page)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    # A wrong password shows the form again: the URL would stay the login page.
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("form[action$='/accounts/logout/']")).to_be_attached()
    assert_self_contained(page)


def assert_self_contained(page):
    """Item 16: nothing left for another host, stylesheets and scripts all from /static/.

    Checks what the tab requested so far and the DOM of the page now shown; also that the
    Content-Security-Policy had nothing to block and that no script failed.
    """
    assert page.foreign_requests == [], f"requests to other hosts: {page.foreign_requests}"
    assert page.csp_violations == [], f"blocked by the CSP: {page.csp_violations}"
    assert page.js_errors == [], f"script errors: {page.js_errors}"
    base = page.live_server_url
    requested = [(url, kind) for url, kind in page.assets if not _is_static(url, base)]
    assert requested == [], f"stylesheets/scripts not from /static/: {requested}"
    dom = page.evaluate(DOM_ASSETS)
    assert dom["stylesheets"], f"{page.url} links no stylesheet"
    outside = [url for url in dom["stylesheets"] + dom["scripts"] if not _is_static(url, base)]
    assert outside == [], f"{page.url} links stylesheets/scripts not from /static/: {outside}"
    assert dom["inlineScripts"] == 0, f"{page.url} has {dom['inlineScripts']} inline script(s)"
    assert_accessible(page)


def assert_accessible(page):
    """axe-core finds no WCAG 2.1 A or AA violation on the page as it is now.

    The page's strict Content-Security-Policy refuses inline scripts, so axe is not added as
    a <script> (``page.add_script_tag`` would be blocked): its source is evaluated through
    the browser's debugging protocol, which the CSP does not govern, and leaves the page's
    DOM untouched.
    """
    assert AXE.exists(), f"{AXE} is missing: `make test` (npm ci) installs axe-core"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(RUN_AXE, WCAG_21_AA)
    if violations:
        lines = [f"{page.url}: {len(violations)} WCAG 2.1 A/AA violation(s)"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines += [f"    {node}" for node in violation["nodes"]]
        raise AssertionError("\n".join(lines))


_AXE_SOURCE = []


def _axe_source():
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE.read_text(encoding="utf-8"))
    return _AXE_SOURCE[0]


def _is_static(url, base):
    return url.startswith(f"{base}/static/") and urlsplit(url).path.startswith("/static/")


def assert_fits_phone(page, url):
    """Item 15: the page at 360 × 800 has no horizontal page scroll."""
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        page.goto(url)
        assert_self_contained(page)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        screenshot(page, "phone")
        if width > PHONE["width"] + 1:
            culprits = page.evaluate(OVERFLOWING, PHONE["width"])
            raise AssertionError(
                f"{url} scrolls sideways at 360 px: scrollWidth {width}; "
                f"overflowing: {culprits}"
            )
    finally:
        page.set_viewport_size(desktop)


def screenshot(page, label):
    """With BROWSER_SCREENSHOTS=<folder>, keep a full-page PNG of the page for a person."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        name = re.sub(r"[^a-z0-9]+", "-", f"{urlsplit(page.url).path}-{label}".lower())
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(folder) / f"{name.strip('-')}.png", full_page=True)


def minimal_pdf(text="Bao cao tien do"):
    """The bytes of a small, valid one-page PDF (correct cross-reference table)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tab_to(page, selector, *, limit=400, backwards=False):
    """Press Tab (Shift+Tab) until the focused element matches ``selector``: the keyboard
    alone reaches it. Fails when it takes more than ``limit`` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for _press in range(limit):
        page.keyboard.press(key)
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return page.locator(":focus")
    raise AssertionError(f"{selector} not reached with {limit} presses of {key} on {page.url}")
