from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "uslugi.applications"
    verbose_name = _("Applications and cases")

    def ready(self) -> None:
        from uslugi.applications.hooks import draft_actions
        from uslugi.core import hooks

        hooks.register("draft_actions", draft_actions)
