"""The user's inbox (only their own), opening a notification, marking all read, and the
user's notification settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import NotificationSettingForm

PER_PAGE = 25


@require_GET
@login_required
def inbox(request):
    page = Paginator(services.inbox(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_GET
@login_required
def open_notification(request, pk):
    """Mark the notification read and go to its page (only the user's own)."""
    notification = services.mark_read(request.user, pk)
    if notification is None:
        raise Http404("No such notification in your inbox.")
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("notifications:inbox")
    # In the language of the page the user clicked on, whichever it was written in.
    return redirect(services.localized_url(notification.url, translation.get_language()))


@require_POST
@login_required
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
@login_required
def settings_page(request):
    setting = services.setting_of(request.user)
    form = NotificationSettingForm(
        request.POST or None, initial=NotificationSettingForm.initial_for(setting, request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.save_setting(
            request.user, no_email_kinds=form.no_email_kinds(),
            daily_digest=form.cleaned_data["daily_digest"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
