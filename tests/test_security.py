import os
import re
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_pages_forbid_foreign_scripts(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_login_page_loads_nothing_from_elsewhere(client):
    html = client.get("/accounts/login/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_deploy_checks_pass_with_production_environment():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "cchc.example.gov.vn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
