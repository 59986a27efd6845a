"""Getting a server process ready to answer, before its first request."""

import gc


def settle():
    """Import the URLconf (every view, WeasyPrint) now rather than at the first request,
    then freeze what the process holds so far (``gc.freeze``: the modules, models, URL
    patterns) out of the garbage collector's sight. Each full collection otherwise walks all
    of it: 85–115 ms of a request, now and then, at the size of a national installation;
    10–40 ms once frozen. Called by the server's master process before it forks its workers
    (``cchc_plans/gunicorn.py``), so that they share those pages of memory too, and by
    ``bench_pages`` before it measures."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
    gc.freeze()
