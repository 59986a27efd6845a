"""Logging in (with "remember me") and resetting a forgotten password by e-mail.

A reset request answers the same page, after the same work, whether the address belongs to a
user or not: the view only counts the request and enqueues ``send_password_reset``; the
background worker looks the address up and sends the mail (``cchc_plans.mail``). Requests are
limited per address and per client address (``cchc_plans.throttle``).
"""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import mail, throttle

RESET_SUBJECT = "registration/password_reset_subject.txt"
RESET_TEXT = "registration/password_reset_email.txt"
RESET_HTML = "registration/password_reset_email.html"


class LoginForm(auth_forms.AuthenticationForm):
    remember = forms.BooleanField(
        label=_("Remember me on this computer"), required=False,
        help_text=_("Leave unticked on a shared computer: closing the browser logs you out."),
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        # Unticked: a browser-session cookie. Ticked: a cookie that lasts as long as a login
        # may (the idle and absolute limits of cchc_plans.sessions apply either way).
        remember = form.cleaned_data["remember"]
        self.request.session.set_expiry(settings.SESSION_MAX_HOURS * 3600 if remember else 0)
        return response


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class PasswordResetMailForm(auth_forms.PasswordResetForm):
    """Django's reset mail (users, token, link), sent through the project's mail helper."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        mail.send_templated(
            to=[to_email], subject_template=subject_template_name,
            text_template=email_template_name, html_template=html_email_template_name,
            context=context,
        )


def site_url(request):
    """Scheme and host of the links in mails: ``SITE_URL``, else the request's own."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


@task
def send_password_reset(*, email, site_url, language):
    """Mail a reset link to each active user with this address; nothing if there is none."""
    form = PasswordResetMailForm({"email": email})
    if not form.is_valid():
        return
    parts = urlsplit(site_url)
    with translation.override(language):
        form.save(
            domain_override=parts.netloc, use_https=parts.scheme == "https",
            subject_template_name=RESET_SUBJECT, email_template_name=RESET_TEXT,
            html_email_template_name=RESET_HTML,
            extra_email_context={"hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        )


def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.allow_password_reset_from(request):
            form.add_error(None, _(
                "Too many password reset requests from this computer. Try again in an hour."
            ))
            return render(request, "registration/password_reset_form.html", {"form": form},
                          status=429)
        email = form.cleaned_data["email"]
        # Over the per-address limit nothing is sent, and the page says the same as always.
        if throttle.allow_password_reset_to(email):
            send_password_reset.enqueue(
                email=email, site_url=site_url(request),
                language=translation.get_language(),
            )
        return redirect("password_reset_done")
    return render(request, "registration/password_reset_form.html", {"form": form})
