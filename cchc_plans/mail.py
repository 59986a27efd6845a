"""Sending mail: one helper for every mail of the application, plain text with an HTML part.

The mail server is configured once, from the environment, in ``settings.MAILERS`` (``EMAIL_URL``
or ``EMAIL_HOST``…; the console in development). Send from the background worker, never inside
a request: a slow or absent mail server must not hold a page.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import loader


def send_templated(*, to, subject_template, text_template, html_template=None, context):
    """Render the subject (one line), the text body and the optional HTML body, and send.

    Templates render in the active language: wrap the call in ``translation.override``.
    """
    subject = "".join(loader.render_to_string(subject_template, context).splitlines())
    message = EmailMultiAlternatives(
        subject=subject, body=loader.render_to_string(text_template, context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=list(to),
    )
    if html_template:
        message.attach_alternative(loader.render_to_string(html_template, context), "text/html")
    message.send()
