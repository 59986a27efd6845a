"""Templates and scripts name no URL path of the project: links come from ``{% url %}`` (so
they keep the interface language's prefix and follow a moved URL) and scripts read theirs from
data attributes."""

import re
from pathlib import Path

from django.conf import settings

# An absolute path in an attribute or a script string, other than the static files' own.
PREFIXES = "|".join(
    ["tasks", "plans", "reports", "periodic", "documents", "leadership", "accounts", "admin"]
)
HARD_CODED = re.compile(
    rf"""(?:href|action|src|formaction)=["']/(?!static/)|["']/(?:{PREFIXES}|en|vi)/"""
)


def sources():
    base = Path(settings.BASE_DIR)
    yield from (base / "templates").rglob("*.html")
    yield from (base / "static" / "js").rglob("*.js")
    for app in ("agencies", "plans", "tasks", "documents", "periodic", "reports", "demo"):
        yield from (base / app).glob("templates/**/*.html")


def test_no_template_or_script_hard_codes_a_url():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for path in sources()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HARD_CODED.search(line)
    ]
    assert offenders == []
