from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project package as an app: connects the session bookkeeping to logging in."""

    name = "cchc_plans"
    verbose_name = "CCHC plans"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .sessions import record_login

        user_logged_in.connect(record_login, dispatch_uid="cchc_plans.sessions.record_login")
