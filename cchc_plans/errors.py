"""The application's own error pages (400, 403, 404, 500, CSRF failure), in the page's language.

Each says what happened and where to go. The 500 page is rendered without the request's
context (no user, no database): whatever failed may fail again while showing it.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token


def _back_url(request):
    """The page the user came from, when it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the very error a 400 page may be showing
        return ""
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _render(request, template_name, **context):
    return loader.render_to_string(
        template_name, {"back_url": _back_url(request), **context}, request
    )


@requires_csrf_token
def bad_request(request, exception):
    too_big = isinstance(exception, RequestDataTooBig)
    return HttpResponseBadRequest(
        _render(
            request,
            "errors/400.html",
            too_big=too_big,
            too_many_fields=isinstance(exception, TooManyFieldsSent),
            limit=filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        )
    )


@requires_csrf_token
def permission_denied(request, exception):
    return HttpResponseForbidden(_render(request, "errors/403.html"))


@requires_csrf_token
def page_not_found(request, exception):
    return HttpResponseNotFound(_render(request, "errors/404.html"))


@requires_csrf_token
def server_error(request):
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check: an old page, or cookies turned off."""
    return HttpResponseForbidden(
        _render(request, "errors/403_csrf.html", no_cookie=not request.COOKIES)
    )
