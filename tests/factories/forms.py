"""Reading forms back from pages."""

import re

TOKEN = re.compile(r'name="submission_token" value="([0-9a-f-]{36})"')


def form_token(html):
    """The one-time token of the (first) form of a page acted on once (cchc_plans/once.py)."""
    return TOKEN.search(html if isinstance(html, str) else html.decode())[1]
