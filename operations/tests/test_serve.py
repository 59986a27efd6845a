"""scripts/serve (make serve) starts nothing unless the production settings pass Django's
deployment checks with DEBUG=0, and says what to fix."""

import secrets
import subprocess
import sys

from operations.tests.helpers import PROJECT


def serve(**env):
    base = {"PATH": "/usr/bin:/bin", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "cchc.example.gov.vn"}
    return subprocess.run([sys.executable, "scripts/serve"], cwd=PROJECT, env=base | env,
                          capture_output=True, text=True, timeout=120)


def test_serve_refuses_settings_that_fail_the_deployment_checks():
    result = serve(SECURE_HSTS_SECONDS="0")
    assert result.returncode == 1
    assert "security.W004" in result.stderr
    assert "Not starting: the production settings above must be fixed first" in result.stderr


def test_serve_refuses_debug_mode():
    result = serve(DEBUG="1")
    assert result.returncode == 1
    assert "make serve runs the production settings" in result.stderr


def test_serve_refuses_a_missing_secret_key():
    result = serve(SECRET_KEY="")
    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
