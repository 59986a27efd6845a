"""The project's URLs plus a page that fails, for the error page tests."""

from django.urls import path

from cchc_plans import urls as project


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("broken/", broken),
    path("en/broken/", broken),
    *project.urlpatterns,
]
handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
