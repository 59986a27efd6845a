"""Gunicorn's settings for ``make serve`` and the systemd unit of the README.

Threaded workers (gthread), as many processes as ``2 × cores + 1`` unless WEB_CONCURRENCY says
otherwise: password hashing at login and PDF previews are CPU work that one process cannot
spread over the cores.
"""

import os


def _int(name, default):
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, not {value!r}") from None


bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)
threads = _int("WEB_THREADS", 4)
# A request running longer than this is killed (and logged): imports and reports that take
# longer belong to the background worker.
timeout = _int("WEB_TIMEOUT", 30)
graceful_timeout = 30
# Workers are replaced now and then, so that memory held by large pages is given back.
max_requests = 2000
max_requests_jitter = 200
# Settings are checked, and a broken setting stops the start, before any worker forks.
preload_app = True
# The reverse proxy on the same machine is the only client that may say it spoke HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
# The usual combined format, plus the seconds each request took.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)ss'
errorlog = "-"
control_socket_disable = True


def when_ready(server):
    """Settle the master before the workers are forked from it (``cchc_plans.process.settle``):
    each new worker then answers its first request at once instead of spending seconds
    importing, and its garbage collector leaves alone what the master froze."""
    from cchc_plans.process import settle

    settle()
