from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path
from django.utils import translation
from django.views import i18n
from django.views.decorators.http import require_GET, require_POST

from . import accounts


@require_GET
@login_required
def moved_admin(request, model, rest):
    """The periodic reports' admin pages, under ``reports`` until they got an app of their own."""
    path = request.path.replace("/admin/reports/", "/admin/periodic/", 1)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


@require_POST
def set_language(request):
    """Django's set_language, reading the page to go back to in that page's language: an English
    page's address (/en/…) resolves only while English is active."""
    language = translation.get_language_from_path(request.POST.get("next", ""))
    with translation.override(language or settings.LANGUAGE_CODE):
        return i18n.set_language(request)


# Django's account pages, with the project's login ("remember me") and reset request (sent in
# the background, limited); listed one by one so that each name has one URL.
account_urls = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("password_reset/", accounts.password_reset, name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
]
urlpatterns += i18n_patterns(
    re_path(
        r"^admin/reports/(?P<model>agencyreport|agencyreportfigure|agencyreporttaskstate)/"
        r"(?P<rest>.*)$",
        moved_admin,
        name="moved_admin",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include(account_urls)),
    path("", include("importing.urls")),
    path("", include("plans.urls")),
    path("tasks/", include("tasks.urls")),
    path("reports/", include("reports.urls")),
    path("periodic/", include("periodic.urls")),
    path("documents/", include("documents.urls")),
    path("leadership/", include("reports.summary_urls")),
    path("register/", include("register.urls")),
    path("notifications/", include("notifications.urls")),
    path("reminders/", include("reminders.urls")),
    prefix_default_language=False,
)

handler400 = "cchc_plans.errors.bad_request"
handler403 = "cchc_plans.errors.permission_denied"
handler404 = "cchc_plans.errors.page_not_found"
handler500 = "cchc_plans.errors.server_error"
