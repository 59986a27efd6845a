"""The document URLs on their own, for tests that run before they join cchc_plans/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("documents/", include("documents.urls")),
]
