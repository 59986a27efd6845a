import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import ROLES, World

MATRIX_MODULES = [
    "plans.tests.matrix",
    "tasks.tests.matrix",
    "reports.tests.matrix",
    "periodic.tests.matrix",
    "documents.tests.matrix",
    "reports.tests.summary_matrix",
    "register.tests.matrix",
    "importing.tests.matrix",
    "notifications.tests.matrix",
    "reminders.tests.matrix",
]
# URLs that belong to Django itself or to the admin, with their own permission checks.
FOREIGN_NAMESPACES = {"admin"}
FOREIGN_NAMES = {
    "login", "logout", "password_change", "password_change_done", "password_reset",
    "password_reset_done", "password_reset_confirm", "password_reset_complete", "set_language",
}


def matrix_entries():
    entries = []
    for name in MATRIX_MODULES:
        entries.extend(importlib.import_module(name).ENTRIES)
    return entries


ENTRIES = matrix_entries()


def project_url_names(resolver=None, namespace=""):
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in FOREIGN_NAMESPACES:
                continue
            names |= project_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names - FOREIGN_NAMES


def test_every_url_has_an_entry_in_the_matrix():
    listed = {entry.name for entry in ENTRIES}
    assert project_url_names() - listed == set(), "URLs missing from the permission matrix"
    assert listed - project_url_names() == set(), "matrix entries for URLs that do not exist"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World()


# The apps whose rows (history tables included) a refused write must leave as they were.
PROJECT_APPS = {"agencies", "plans", "tasks", "periodic", "reports", "signatures", "imports",
                "notifications"}


def snapshot():
    """Every row of the project's models, to compare before and after a refused write."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
    }


def expected(entry, method, role):
    table = entry.get if method == "get" else entry.post
    if table is None:
        return 405
    if role == "anonymous":
        return table.get(role, 302)
    return table[role]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, entry, method, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    url = reverse(entry.name, kwargs=entry.build_kwargs(world))
    data = entry.data(world) if entry.data else {}
    status = expected(entry, method, role)
    refused = method == "post" and (status in (403, 404, 405) or role == "anonymous")
    before = snapshot() if refused else None
    response = getattr(client, method)(url, data)
    assert response.status_code == status, (url, role, method)
    if refused:
        assert snapshot() == before, f"a refused write changed data: {url} {role}"
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(settings.LOGIN_URL) or "/accounts/login/" in (
            response["Location"]
        )
