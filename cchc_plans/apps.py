from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project package as an app: connects the session bookkeeping to logging in and
    cleans the text of every form (``cchc_plans.text``)."""

    name = "cchc_plans"
    verbose_name = "CCHC plans"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import record_login
        from .text import install

        install()
        user_logged_in.connect(record_login, dispatch_uid="cchc_plans.sessions.record_login")
