from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = _("Digital signatures")

    def ready(self):
        from . import checks  # noqa: F401  (registers the configuration checks)
