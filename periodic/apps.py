from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicConfig(AppConfig):
    name = "periodic"
    verbose_name = _("Periodic reports")

    def ready(self):
        from . import receivers  # noqa: F401
