from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path
from django.views.decorators.http import require_GET


@require_GET
@login_required
def moved_admin(request, model, rest):
    """The periodic reports' admin pages, under ``reports`` until they got an app of their own."""
    path = request.path.replace("/admin/reports/", "/admin/periodic/", 1)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    re_path(
        r"^admin/reports/(?P<model>agencyreport|agencyreportfigure|agencyreporttaskstate)/"
        r"(?P<rest>.*)$",
        moved_admin,
        name="moved_admin",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("plans.urls")),
    path("tasks/", include("tasks.urls")),
    path("reports/", include("reports.urls")),
    path("periodic/", include("periodic.urls")),
    path("documents/", include("documents.urls")),
    path("leadership/", include("reports.summary_urls")),
    prefix_default_language=False,
)
